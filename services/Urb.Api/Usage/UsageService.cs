using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.Api.Auth;
using Urb.Api.Data;
using Urb.Api.Grpc;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Scheduler.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Urb.Domain.Usage;
using Urb.ServiceDefaults.Usage;
using BackupCatalogClient = Urb.Contracts.Ingest.V1.BackupCatalog.BackupCatalogClient;
using DedupIndexClient = Urb.Contracts.Index.V1.DedupIndex.DedupIndexClient;
using UsageHistoryClient = Urb.Contracts.Scheduler.V1.UsageHistory.UsageHistoryClient;

namespace Urb.Api.Usage;

/// <summary>
/// Usage statistics for portals: current figures from Urb.DedupIndex (stored and plain bytes) and
/// Urb.Ingest's catalog (backups and the bytes they cover), the daily history from
/// Urb.Scheduler. Any key may read; a tenant key sees its own tenant only.
/// </summary>
public sealed class UsageService(
    ApiDbContext db, ReadableClients readable, DedupIndexClient index, BackupCatalogClient catalog, UsageHistoryClient history, TimeProvider time)
    : Contracts.Api.V1.Usage.UsageBase
{
    public override async Task<ClientUsageFigures> GetClientUsage(GetClientUsageRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.ClientId, "client_id", context);
        var usage = await CurrentUsage.ReadAsync(index, catalog, client.TenantId, client.Id, context.CancellationToken);
        return UsageMessages.ForClient(client, usage.Of(client.Id));
    }

    public override async Task<TenantUsageFigures> GetTenantUsage(GetTenantUsageRequest request, ServerCallContext context)
    {
        var tenantId = await ReadableTenantAsync(request.TenantId, context);
        var usage = await CurrentUsage.ReadAsync(index, catalog, tenantId, null, context.CancellationToken);
        // The tenant's figures sum its live clients; a deleted client's chunks count only in
        // tenant_stored_bytes until the garbage collection frees them.
        var clients = await db.Clients.AsNoTracking().Where(c => c.TenantId == tenantId && c.DeletedAt == null)
            .OrderBy(c => c.Name).ToListAsync(context.CancellationToken);
        return new TenantUsageFigures
        {
            TenantId = tenantId.ToString(),
            Usage = UsageMessages.ToMessage(UsageTotals.Sum(clients.Select(c => usage.Of(c.Id)))),
            Clients = { clients.Select(c => UsageMessages.ForClient(c, usage.Of(c.Id))) },
            TenantStoredBytes = usage.TenantStoredBytes,
        };
    }

    public override async Task<GetUsageHistoryResponse> GetUsageHistory(GetUsageHistoryRequest request, ServerCallContext context)
    {
        if ((request.ClientId.Length > 0) == (request.TenantId.Length > 0))
        {
            throw new InvalidInputException("client_id", "Name exactly one of client_id and tenant_id.");
        }
        var firstDay = UsageHistoryRange.FirstDay(UsageHistoryRange.DayOf(time.GetUtcNow()), request.Days);
        var upstream = new ListUsageDaysRequest { FirstDate = UsageHistoryRange.Format(firstDay) };
        if (request.ClientId.Length > 0)
        {
            var client = await readable.FindAsync(request.ClientId, "client_id", context);
            upstream.TenantId = client.TenantId.ToString();
            upstream.ClientId = client.Id.ToString();
        }
        else
        {
            upstream.TenantId = (await ReadableTenantAsync(request.TenantId, context)).ToString();
        }
        var recorded = await history.ListUsageDaysAsync(upstream, cancellationToken: context.CancellationToken);
        return new GetUsageHistoryResponse { Days = { recorded.Days.Select(UsageMessages.ToMessage) } };
    }

    /// <summary>
    /// The named tenant, or the key's own when none is named (a global admin key must name one).
    /// Another tenant is "not found", like one that does not exist.
    /// </summary>
    private async Task<Guid> ReadableTenantAsync(string requested, ServerCallContext context)
    {
        var caller = context.Caller();
        var tenantId = RequestId.ParseOptional(requested, "tenant_id") ?? caller.TenantId
            ?? throw new InvalidInputException("tenant_id", "A global admin key must name the tenant (tenant_id).");
        caller.EnsureCanRead(tenantId, "The tenant");
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, context.CancellationToken))
        {
            throw new NotFoundException("The tenant was not found.");
        }
        return tenantId;
    }
}
