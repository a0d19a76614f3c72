using Urb.Contracts.Index.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Domain.Usage;

namespace Urb.ServiceDefaults.Usage;

/// <summary>A tenant's usage now: per client, and the stored bytes of all its chunks (referenced or not).</summary>
public sealed record TenantUsage(IReadOnlyDictionary<Guid, UsageTotals> Clients, long TenantStoredBytes)
{
    public UsageTotals Of(Guid clientId) => Clients.GetValueOrDefault(clientId, UsageTotals.Zero);
}

/// <summary>
/// Reads current usage from its two sources: Urb.DedupIndex charges stored and plain bytes
/// (shared chunks in equal parts), Urb.Ingest's catalog counts backups and the bytes they cover.
/// Urb.Api answers portals with it and Urb.Scheduler records it nightly, so both read it alike.
/// </summary>
public static class CurrentUsage
{
    /// <summary>The tenant's clients known to either source (one client when <paramref name="clientId"/> is set).</summary>
    public static async Task<TenantUsage> ReadAsync(
        DedupIndex.DedupIndexClient index, BackupCatalog.BackupCatalogClient catalog, Guid tenantId, Guid? clientId, CancellationToken cancellationToken)
    {
        var tenant = tenantId.ToString();
        var client = clientId?.ToString() ?? "";
        using var usageCall = index.GetUsageAsync(new GetUsageRequest { TenantId = tenant, ClientId = client }, cancellationToken: cancellationToken);
        using var totalsCall = catalog.GetBackupTotalsAsync(new GetBackupTotalsRequest { TenantId = tenant, ClientId = client }, cancellationToken: cancellationToken);
        // Both asked at once; the answers are joined by client.
        var charged = await usageCall;
        var stored = charged.Clients.ToDictionary(c => Guid.Parse(c.ClientId));
        var totals = (await totalsCall).Clients.ToDictionary(c => Guid.Parse(c.ClientId));
        var clients = stored.Keys.Union(totals.Keys).ToDictionary(id => id, id => Combine(stored.GetValueOrDefault(id), totals.GetValueOrDefault(id)));
        return new TenantUsage(clients, charged.TenantStoredBytes);
    }

    private static UsageTotals Combine(ClientUsage? stored, ClientBackupTotals? backups) => new(
        stored?.StoredBytes ?? 0,
        stored?.PlainBytes ?? 0,
        backups?.TotalBytes ?? 0,
        backups?.LatestTotalBytes ?? 0,
        backups?.IncrementalBackups ?? 0,
        backups?.FullBackups ?? 0,
        backups?.IncrementalImageBackups ?? 0,
        backups?.FullImageBackups ?? 0);
}
