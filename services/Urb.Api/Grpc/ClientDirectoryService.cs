using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.Api.Data;
using Urb.Api.Enrollment;
using Urb.Api.Settings;
using Urb.Contracts.Settings;
using Urb.Contracts.Directory.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Api.Grpc;

/// <summary>
/// The catalog as other Urb services see it (the gateway, mostly). Served only on the internal
/// port: it trusts its callers to be Urb services.
/// </summary>
public sealed class ClientDirectoryService(ApiDbContext db, EnrollmentTokenRedeemer redeemer, SettingsStore settings) : ClientDirectory.ClientDirectoryBase
{
    public override async Task<ClientIdentity> RedeemEnrollmentToken(RedeemEnrollmentTokenRequest request, ServerCallContext context)
    {
        var client = await redeemer.RedeemAsync(request.Token, request.Hostname, context.CancellationToken);
        return ToIdentity(client);
    }

    public override async Task<ClientIdentity> GetClientIdentity(GetClientIdentityRequest request, ServerCallContext context) =>
        ToIdentity(await FindLiveAsync(request.ClientId, context));

    public override async Task<Contracts.Settings.V1.EffectiveSettings> GetClientSettings(GetClientIdentityRequest request, ServerCallContext context)
    {
        var client = await FindLiveAsync(request.ClientId, context);
        return (await settings.EffectiveAsync(client, context.CancellationToken)).ToMessage(client.Id);
    }

    public override async Task<ListClientSettingsResponse> ListClientSettings(ListClientSettingsRequest request, ServerCallContext context)
    {
        var (global, clients) = await settings.EffectiveForAllAsync(context.CancellationToken);
        var response = new ListClientSettingsResponse { Global = global.ToMessage(Guid.Empty) };
        response.Global.ClientId = "";
        response.Clients.AddRange(clients.Select(c => new ClientSettings { Identity = ToIdentity(c.Client), Settings = c.Settings.ToMessage(c.Client.Id) }));
        return response;
    }

    private async Task<Client> FindLiveAsync(string id, ServerCallContext context)
    {
        var clientId = RequestId.Parse(id, "client_id");
        return await db.Clients.AsNoTracking().Include(c => c.Tenant)
            .SingleOrDefaultAsync(c => c.Id == clientId && c.DeletedAt == null, context.CancellationToken)
            ?? throw new NotFoundException($"Client {clientId} is not known to this server (never created, or deleted).");
    }

    private static ClientIdentity ToIdentity(Client client) => new()
    {
        ClientId = client.Id.ToString(),
        ClientName = client.Name,
        TenantId = client.TenantId.ToString(),
        TenantName = client.Tenant?.Name ?? "",
        CredentialsRevokedAt = client.CredentialsRevokedAt is { } revoked ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(revoked) : null,
    };
}
