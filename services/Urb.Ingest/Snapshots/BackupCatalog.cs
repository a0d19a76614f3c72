using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshots;
using Urb.Domain.Errors;
using Urb.Ingest.Data;
using Snapshot = Urb.Contracts.Agent.V1.Snapshot;

namespace Urb.Ingest.Snapshots;

/// <summary>The backups table: attempts while they run, snapshots once committed.</summary>
public sealed class BackupCatalog(IngestDbContext db, TimeProvider time)
{
    public const string Latest = "latest";

    public async Task<BackupRecord> StartAsync(SnapshotOwner owner, BackupStart start, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new BackupRecord
        {
            Id = Guid.CreateVersion7(now),
            TenantId = owner.TenantId,
            ClientId = owner.ClientId,
            Kind = (int)start.Kind,
            Status = BackupStatus.Running,
            Paths = [.. start.Paths],
            AgentVersion = start.AgentVersion,
            StartedAt = now,
            HeartbeatAt = now,
        };
        db.Backups.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>Makes the attempt a snapshot, in one statement: before it, nothing of it is visible.</summary>
    public async Task<BackupRecord> CompleteAsync(BackupRecord record, BackupCommit commit, CancellationToken cancellationToken)
    {
        record.Status = BackupStatus.Completed;
        record.RootIds = commit.RootIds.ToByteArray();
        record.FinishedAt = time.GetUtcNow();
        record.Warnings = commit.Warnings.Count;
        record.WarningsJson = commit.Warnings.Count == 0 ? null : JsonSerializer.Serialize(
            commit.Warnings.Take(BackupRecord.MaxWarningsKept).Select(w => new { path = w.Path, message = w.Message }));
        var stats = commit.Stats ?? new BackupStats();
        record.FilesNew = stats.FilesNew;
        record.FilesChanged = stats.FilesChanged;
        record.FilesUnchanged = stats.FilesUnchanged;
        record.Directories = stats.Directories;
        record.TotalBytes = stats.TotalBytes;
        record.BytesRead = stats.BytesRead;
        record.BytesNew = stats.BytesNew;
        record.BytesSent = stats.BytesSent;
        record.ChunksNew = stats.ChunksNew;
        record.ChunksKnown = stats.ChunksKnown;
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>Records why an attempt ended without a snapshot (best effort: the caller may be on its way out).</summary>
    public async Task EndAsync(Guid backupId, string status, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await db.Backups.Where(b => b.Id == backupId && b.Status == BackupStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, status)
                .SetProperty(b => b.Failure, reason.Length > 2000 ? reason[..2000] : reason)
                .SetProperty(b => b.FinishedAt, time.GetUtcNow()), timeout.Token);
    }

    /// <summary>The owner's snapshots, newest first.</summary>
    public async Task<List<BackupRecord>> ListAsync(SnapshotOwner owner, int limit, CancellationToken cancellationToken)
    {
        var query = db.Backups.SnapshotsOf(owner).OrderByDescending(b => b.StartedAt).AsNoTracking();
        return await (limit > 0 ? query.Take(limit) : query).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// One of the owner's snapshots by ID or "latest". Another client's snapshot is NotFound, as
    /// one that does not exist: an agent learns nothing about snapshots that are not its own.
    /// </summary>
    public async Task<BackupRecord> ResolveAsync(SnapshotOwner owner, string backup, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(backup)) throw new InvalidInputException("backup", "Name a backup: its ID or \"latest\".");
        var query = db.Backups.SnapshotsOf(owner).AsNoTracking();
        if (backup == Latest)
        {
            return await query.OrderByDescending(b => b.StartedAt).FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("This client has no completed backup yet.");
        }
        if (!Guid.TryParse(backup, out var id)) throw new InvalidInputException("backup", $"'{backup}' is neither a backup ID nor \"latest\".");
        return await query.FirstOrDefaultAsync(b => b.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Backup {id} is not a completed backup of this client.");
    }

    public static Snapshot ToMessage(BackupRecord record) => new()
    {
        BackupId = record.Id.ToString(),
        ClientId = record.ClientId.ToString(),
        Kind = (BackupKind)record.Kind,
        Paths = { record.Paths },
        StartedAt = Timestamp.FromDateTimeOffset(record.StartedAt),
        FinishedAt = record.FinishedAt is { } finished ? Timestamp.FromDateTimeOffset(finished) : null,
        Warnings = record.Warnings,
        Stats = new BackupStats
        {
            FilesNew = record.FilesNew,
            FilesChanged = record.FilesChanged,
            FilesUnchanged = record.FilesUnchanged,
            Directories = record.Directories,
            TotalBytes = record.TotalBytes,
            BytesRead = record.BytesRead,
            BytesNew = record.BytesNew,
            BytesSent = record.BytesSent,
            ChunksNew = record.ChunksNew,
            ChunksKnown = record.ChunksKnown,
        },
        Archive = ArchiveMarks.From(record) is { } mark ? ArchiveMarks.ToSnapshotArchive(mark) : null,
    };

    public static ByteString RootIds(BackupRecord record) => ByteString.CopyFrom(record.RootIds ?? []);
}
