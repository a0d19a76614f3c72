using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.Api.Auth;
using Urb.Api.Data;
using Urb.Api.Settings;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Settings;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Urb.Domain.Settings;
using EffectiveSettingsMessage = Urb.Contracts.Settings.V1.EffectiveSettings;
using SettingDefinitionMessage = Urb.Contracts.Api.V1.SettingDefinition;
using SettingMessage = Urb.Contracts.Settings.V1.Setting;

namespace Urb.Api.Grpc;

/// <summary>The settings layers for portals and operators, authorised like everything else against the tenant.</summary>
public sealed class SettingsService(ApiDbContext db, SettingsStore store, ReadableClients readable, SettingsChangeAnnouncer changes)
    : Contracts.Api.V1.Settings.SettingsBase
{
    public override Task<ListSettingDefinitionsResponse> ListSettingDefinitions(ListSettingDefinitionsRequest request, ServerCallContext context) =>
        Task.FromResult(new ListSettingDefinitionsResponse
        {
            Definitions =
            {
                SettingCatalog.All.Select(d => new SettingDefinitionMessage
                {
                    Key = d.Key,
                    Kind = d.Kind.ToString().ToLowerInvariant(),
                    DefaultValue = d.Default.ToMessage(),
                    Description = d.Description,
                    GlobalOnly = d.GlobalOnly,
                }),
            },
        });

    public override async Task<SettingsLayer> GetSettings(GetSettingsRequest request, ServerCallContext context)
    {
        var layer = await ResolveAsync(request.Scope, manage: false, context);
        return await LayerMessageAsync(request.Scope, layer, context);
    }

    public override async Task<SettingsLayer> UpdateSettings(UpdateSettingsRequest request, ServerCallContext context)
    {
        var layer = await ResolveAsync(request.Scope, manage: true, context);
        await store.UpdateAsync(layer, request.Set.Select(s => (s.Key, SettingsMessages.FromMessage(s.Value))), request.Clear, context.CancellationToken);
        await changes.AnnounceAsync(layer);
        return await LayerMessageAsync(request.Scope, layer, context);
    }

    public override async Task<EffectiveSettingsMessage> GetEffectiveSettings(GetEffectiveSettingsRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.ClientId, "client_id", context);
        return (await store.EffectiveAsync(client, context.CancellationToken)).ToMessage(client.Id);
    }

    private async Task<SettingsLayer> LayerMessageAsync(SettingsScope scope, SettingsLayerId layer, ServerCallContext context)
    {
        var values = await store.LoadLayerAsync(layer, context.CancellationToken);
        return new SettingsLayer
        {
            Scope = scope,
            Settings = { values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new SettingMessage { Key = v.Key, Value = v.Value.ToMessage() }) },
        };
    }

    /// <summary>The layer a scope names, after checking the caller may read (or change) it.</summary>
    private async Task<SettingsLayerId> ResolveAsync(SettingsScope? scope, bool manage, ServerCallContext context)
    {
        var caller = context.Caller();
        switch (scope?.ScopeCase ?? SettingsScope.ScopeOneofCase.None)
        {
            case SettingsScope.ScopeOneofCase.Global when scope!.Global:
                if (manage) caller.EnsureGlobalAdmin("Changing the installation's settings");
                return SettingsLayerId.Global;
            case SettingsScope.ScopeOneofCase.TenantId:
                var tenantId = RequestId.Parse(scope!.TenantId, "scope.tenant_id");
                if (manage) caller.EnsureCanManage(tenantId, "the tenant's settings");
                else caller.EnsureCanRead(tenantId, "The tenant");
                if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, context.CancellationToken))
                {
                    throw new NotFoundException("The tenant was not found.");
                }
                return SettingsLayerId.Tenant(tenantId);
            case SettingsScope.ScopeOneofCase.ClientId:
                var client = await readable.FindAsync(scope!.ClientId, "scope.client_id", context);
                if (manage) caller.EnsureCanManage(client.TenantId, "the client's settings");
                return SettingsLayerId.Client(client.Id);
            default:
                throw new InvalidInputException("scope", "Name the settings layer: global (true), tenant_id or client_id.");
        }
    }
}
