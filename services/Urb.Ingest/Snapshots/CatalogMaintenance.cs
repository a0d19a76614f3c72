using Microsoft.EntityFrameworkCore;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshots;
using Urb.Ingest.Data;
using ArchiveMark = Urb.Domain.Retention.ArchiveMark;

namespace Urb.Ingest.Snapshots;

/// <summary>When a client's latest completed backup of each kind finished, and whether one runs now.</summary>
public sealed record LastBackups(
    Guid TenantId, Guid ClientId, DateTimeOffset? LastIncremental, DateTimeOffset? LastFull,
    DateTimeOffset? LastIncrementalImage, DateTimeOffset? LastFullImage, bool Running);

/// <summary>
/// The catalog as the other services use it (urb.ingest.v1.BackupCatalog): when each client was
/// last backed up, its snapshots with their archive marks, archiving and deleting. Changes touch
/// only completed backups of the named owner; anything else is left as it is.
/// </summary>
public sealed class CatalogMaintenance(IngestDbContext db, TimeProvider time)
{
    /// <summary>Every client with at least one backup attempt, of one tenant or of all.</summary>
    public async Task<List<LastBackups>> LastBackupsAsync(Guid? tenantId, CancellationToken cancellationToken)
    {
        var backups = db.Backups.AsNoTracking();
        if (tenantId is { } tenant) backups = backups.Where(b => b.TenantId == tenant);
        // One pass over the rows: each value is an aggregate over the client's rows (CASE in SQL).
        var rows = await backups
            .GroupBy(b => new { b.TenantId, b.ClientId })
            .Select(g => new
            {
                g.Key.TenantId,
                g.Key.ClientId,
                LastIncremental = g.Max(b => b.Status == BackupStatus.Completed && b.Kind == (int)BackupKind.Incremental ? b.FinishedAt : null),
                LastFull = g.Max(b => b.Status == BackupStatus.Completed && b.Kind == (int)BackupKind.Full ? b.FinishedAt : null),
                LastIncrementalImage = g.Max(b => b.Status == BackupStatus.Completed && b.Kind == (int)BackupKind.ImageIncremental ? b.FinishedAt : null),
                LastFullImage = g.Max(b => b.Status == BackupStatus.Completed && b.Kind == (int)BackupKind.ImageFull ? b.FinishedAt : null),
                Running = g.Max(b => b.Status == BackupStatus.Running ? 1 : 0),
            })
            .OrderBy(c => c.TenantId).ThenBy(c => c.ClientId)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new LastBackups(r.TenantId, r.ClientId, r.LastIncremental, r.LastFull, r.LastIncrementalImage, r.LastFullImage, r.Running == 1))];
    }

    /// <summary>The owner's snapshots, oldest first.</summary>
    public Task<List<BackupRecord>> ListAsync(SnapshotOwner owner, CancellationToken cancellationToken) =>
        db.Backups.SnapshotsOf(owner).OrderBy(b => b.StartedAt).AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>Sets <paramref name="mark"/> on the owner's snapshots among <paramref name="ids"/>, or clears it (null); returns how many changed.</summary>
    public Task<int> SetArchiveAsync(SnapshotOwner owner, Guid[] ids, ArchiveMark? mark, CancellationToken cancellationToken)
    {
        var snapshots = db.Backups.SnapshotsOf(owner).Where(b => ids.Contains(b.Id));
        if (mark is null)
        {
            return snapshots.Where(b => b.ArchivedAt != null).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.ArchivedAt, (DateTimeOffset?)null)
                .SetProperty(b => b.ArchiveRuleId, (string?)null)
                .SetProperty(b => b.ArchivedUntil, (DateTimeOffset?)null), cancellationToken);
        }
        DateTimeOffset? archivedAt = mark.ArchivedAt;
        // Only rows whose mark differs count as changed, so repeating a call changes nothing.
        return snapshots
            .Where(b => b.ArchivedAt != archivedAt || b.ArchiveRuleId != mark.RuleId || b.ArchivedUntil != mark.Until)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.ArchivedAt, archivedAt)
                .SetProperty(b => b.ArchiveRuleId, mark.RuleId)
                .SetProperty(b => b.ArchivedUntil, mark.Until), cancellationToken);
    }

    /// <summary>
    /// Deletes the owner's snapshots among <paramref name="ids"/>, in one statement, and returns
    /// those it deleted. An archive that still holds (<see cref="ArchiveMark.IsActiveAt"/>)
    /// protects its backup unless <paramref name="includeArchived"/>; a rule's archive that ran
    /// out does not, as for the cleanup.
    /// </summary>
    public async Task<List<Guid>> DeleteAsync(SnapshotOwner owner, Guid[] ids, bool includeArchived, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.Database.SqlQuery<Guid>($"""
            UPDATE ingest.backups SET status = {BackupStatus.Deleted}, deleted_at = {now}
            WHERE tenant_id = {owner.TenantId} AND client_id = {owner.ClientId} AND status = {BackupStatus.Completed}
              AND id = ANY({ids})
              AND ({includeArchived} OR archived_at IS NULL OR archived_until < {now})
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
    }
}
