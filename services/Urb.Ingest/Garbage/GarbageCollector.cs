using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Contracts.Snapshot.V1;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.Ingest.Activities;
using Urb.Ingest.Data;
using Urb.Ingest.Options;

namespace Urb.Ingest.Garbage;

/// <summary>
/// Reclaims what no snapshot reaches, one tenant at a time, without blocking or breaking backups
/// that run meanwhile: mark (walk every completed snapshot, and every tree a running backup may
/// reuse), then the index's sweep (revive, condemn, delete, references), then storage's
/// reclamation of packs. Why this is safe: docs/architecture.md, "Garbage collection".
/// </summary>
public sealed partial class GarbageCollector(
    IngestDbContext db,
    ObjectWalker walker,
    DedupIndex.DedupIndexClient index,
    Storage.StorageClient storage,
    IngestMetrics metrics,
    IngestLiveLog liveLog,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<GarbageCollector> log)
{
    private const int MarkBatch = 65536;

    /// <summary>Every tenant with backups, or just <paramref name="tenant"/>.</summary>
    public async Task<CollectGarbageReport> CollectAsync(Guid? tenant, TimeSpan? grace, CancellationToken cancellationToken)
    {
        var tenants = tenant is { } one
            ? [one]
            : await db.Backups.Select(b => b.TenantId).Distinct().OrderBy(t => t).ToListAsync(cancellationToken);
        var report = new CollectGarbageReport();
        foreach (var id in tenants)
        {
            try
            {
                if (await CollectTenantAsync(id, grace ?? options.Value.GarbageGrace, cancellationToken) is not { } collected)
                {
                    metrics.GarbageCollected("skipped");
                    liveLog.GarbageSkipped(id);
                    continue;
                }
                metrics.GarbageCollected("collected", collected.ObjectsCondemned, collected.ObjectsRevived, collected.ObjectsDeleted, collected.BytesReclaimed);
                liveLog.GarbageCollected(id, collected);
                Add(report, collected);
                report.Tenants++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogTenantFailed(id, e.Message);
                metrics.GarbageCollected("failed");
                liveLog.GarbageFailed(id, e.Message);
                // A named tenant's failure is the call's; in a run of every tenant, one tenant's
                // failure (an unreadable snapshot, a service away) leaves the others to run.
                if (tenant is not null) throw;
                report.TenantsFailed++;
            }
        }
        if (tenant is null) liveLog.GarbageRunEnded(report);
        return report;
    }

    /// <summary>The tenant's run, or null when another run holds the tenant.</summary>
    private async Task<CollectGarbageReport?> CollectTenantAsync(Guid tenant, TimeSpan grace, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!await TryLockAsync(tenant, cancellationToken))
            {
                LogTenantBusy(tenant);
                return null;
            }
            try
            {
                return await RunAsync(tenant, grace, cancellationToken);
            }
            finally
            {
                await UnlockAsync(tenant);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<CollectGarbageReport> RunAsync(Guid tenant, TimeSpan grace, CancellationToken cancellationToken)
    {
        var run = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        // One statement, so no backup is missed between "running" and "completed"; any status but
        // completed (failed, interrupted, deleted, ...) is not a snapshot.
        var backups = await db.Backups.AsNoTracking()
            .Where(b => b.TenantId == tenant && (b.Status == BackupStatus.Running || b.Status == BackupStatus.Completed))
            .Select(b => new { b.ClientId, b.Status, b.StartedAt, b.RootIds })
            .ToListAsync(cancellationToken);
        var cutoff = backups.Where(b => b.Status == BackupStatus.Running).Select(b => b.StartedAt).Append(now - grace).Min();
        var snapshots = backups.Where(b => b.Status == BackupStatus.Completed && b.RootIds is { Length: > 0 }).ToList();

        // Mark: each client's own live set (its references), their union the live set.
        var cache = new Dictionary<byte[], Tree>(ChunkIdComparer.Instance);
        var live = new HashSet<byte[]>(ChunkIdComparer.Instance);
        var first = true;
        foreach (var client in snapshots.GroupBy(b => b.ClientId))
        {
            var roots = client.SelectMany(b => ChunkId.Unpack(b.RootIds)).ToList();
            var reached = await walker.ReachAsync(tenant, roots, cache, skip: null, tolerateMissing: false, cancellationToken);
            await MarkAsync(tenant, run, client.Key, reached, first, cancellationToken);
            first = false;
            live.UnionWith(reached);
        }
        if (first) await MarkAsync(tenant, run, Guid.Empty, [], first: true, cancellationToken);

        // Guard: trees outside every snapshot that a backup may still reuse keep what they name
        // from deletion (a reused tree is taken as complete below it).
        var guardRoots = ChunkId.Unpack((await index.ListGuardTreesAsync(new ListGuardTreesRequest
        {
            TenantId = tenant.ToString(), RunId = run.ToString(), Cutoff = Timestamp.FromDateTimeOffset(cutoff),
        }, cancellationToken: cancellationToken)).TreeIds.Memory);
        var guarded = await walker.ReachAsync(tenant, guardRoots, cache, skip: live, tolerateMissing: true, cancellationToken);
        await MarkAsync(tenant, run, Guid.Empty, guarded, first: false, cancellationToken);

        var swept = await index.SweepAsync(new SweepRequest
        {
            TenantId = tenant.ToString(), RunId = run.ToString(),
            Cutoff = Timestamp.FromDateTimeOffset(cutoff), Now = Timestamp.FromDateTimeOffset(now),
        }, cancellationToken: cancellationToken);
        var packs = await storage.ReclaimPacksAsync(new ReclaimPacksRequest { TenantId = tenant.ToString() }, cancellationToken: cancellationToken);

        LogCollected(tenant, snapshots.Count, cutoff, live.Count, guardRoots.Count, guarded.Count, swept.Revived, swept.Condemned, swept.Deleted,
            swept.ReferencesAdded, swept.ReferencesRemoved, swept.FileEntriesDeleted, packs.PacksDeleted, packs.PacksRewritten, packs.BytesReclaimed);
        return new CollectGarbageReport
        {
            SnapshotsMarked = snapshots.Count,
            ObjectsLive = swept.Live,
            ObjectsCondemned = swept.Condemned,
            ObjectsRevived = swept.Revived,
            ObjectsDeleted = swept.Deleted,
            PacksDeleted = packs.PacksDeleted,
            PacksRewritten = packs.PacksRewritten,
            BytesReclaimed = packs.BytesReclaimed,
        };
    }

    private async Task MarkAsync(Guid tenant, Guid run, Guid client, IReadOnlyCollection<byte[]> ids, bool first, CancellationToken cancellationToken)
    {
        var all = ids.ToList();
        for (var start = 0; start == 0 || start < all.Count; start += MarkBatch)
        {
            await index.MarkObjectsAsync(new MarkObjectsRequest
            {
                TenantId = tenant.ToString(),
                RunId = run.ToString(),
                ClientId = client == Guid.Empty ? "" : client.ToString(),
                ChunkIds = UnsafeByteOperations.UnsafeWrap(ChunkId.Pack(all.GetRange(start, Math.Min(MarkBatch, all.Count - start)))),
                First = first && start == 0,
            }, cancellationToken: cancellationToken);
        }
    }

    /// <summary>One run per tenant at a time, across every ingest replica (a session lock on this connection).</summary>
    private async Task<bool> TryLockAsync(Guid tenant, CancellationToken cancellationToken)
    {
        await using var command = LockCommand("SELECT pg_try_advisory_lock(@key)", tenant);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task UnlockAsync(Guid tenant)
    {
        await using var command = LockCommand("SELECT pg_advisory_unlock(@key)", tenant);
        await command.ExecuteScalarAsync(CancellationToken.None);
    }

    private NpgsqlCommand LockCommand(string sql, Guid tenant)
    {
        var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
        // A 64-bit key from the tenant, mixed with a constant ("urb-gc") of its own.
        var bytes = tenant.ToByteArray();
        command.Parameters.Add(new NpgsqlParameter<long>("key", BitConverter.ToInt64(bytes, 0) ^ BitConverter.ToInt64(bytes, 8) ^ 0x7572622d6763));
        return command;
    }

    private static void Add(CollectGarbageReport total, CollectGarbageReport tenant)
    {
        total.SnapshotsMarked += tenant.SnapshotsMarked;
        total.ObjectsLive += tenant.ObjectsLive;
        total.ObjectsCondemned += tenant.ObjectsCondemned;
        total.ObjectsRevived += tenant.ObjectsRevived;
        total.ObjectsDeleted += tenant.ObjectsDeleted;
        total.PacksDeleted += tenant.PacksDeleted;
        total.PacksRewritten += tenant.PacksRewritten;
        total.BytesReclaimed += tenant.BytesReclaimed;
    }
}
