using Microsoft.EntityFrameworkCore;
using Urb.Contracts.Agent.V1;
using Urb.Ingest.Data;

namespace Urb.Ingest.Snapshots;

/// <summary>One client's completed, not deleted backups, counted by kind and summed (urb.ingest.v1.ClientBackupTotals).</summary>
public sealed record ClientTotals(Guid ClientId, int Incremental, int Full, int IncrementalImage, int FullImage, long TotalBytes, long LatestTotalBytes);

/// <summary>Backup counts by kind and the plain bytes they cover, per client, for usage statistics.</summary>
public sealed class BackupTotals(IngestDbContext db)
{
    /// <summary>The tenant's clients with at least one completed backup (one client when <paramref name="clientId"/> is set).</summary>
    public async Task<List<ClientTotals>> OfAsync(Guid tenantId, Guid? clientId, CancellationToken cancellationToken)
    {
        var backups = db.Backups.AsNoTracking().Where(b => b.TenantId == tenantId && b.Status == BackupStatus.Completed);
        if (clientId is { } client) backups = backups.Where(b => b.ClientId == client);
        // Kinds compared as numbers: the query runs in SQL, where BackupKinds' helpers do not translate.
        var sums = await backups
            .GroupBy(b => b.ClientId)
            .Select(g => new
            {
                ClientId = g.Key,
                Incremental = g.Count(b => b.Kind == (int)BackupKind.Incremental),
                Full = g.Count(b => b.Kind == (int)BackupKind.Full),
                IncrementalImage = g.Count(b => b.Kind == (int)BackupKind.ImageIncremental),
                FullImage = g.Count(b => b.Kind == (int)BackupKind.ImageFull),
                TotalBytes = g.Sum(b => b.TotalBytes),
            })
            .ToListAsync(cancellationToken);
        var latest = await backups
            .GroupBy(b => b.ClientId)
            .Select(g => g.OrderByDescending(b => b.FinishedAt).ThenByDescending(b => b.StartedAt).Select(b => new { b.ClientId, b.TotalBytes }).First())
            .ToDictionaryAsync(b => b.ClientId, b => b.TotalBytes, cancellationToken);
        return [.. sums.OrderBy(s => s.ClientId).Select(s => new ClientTotals(s.ClientId, s.Incremental, s.Full, s.IncrementalImage, s.FullImage, s.TotalBytes, latest[s.ClientId]))];
    }
}
