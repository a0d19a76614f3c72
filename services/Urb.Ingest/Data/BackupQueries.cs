using Urb.Contracts.Snapshots;

namespace Urb.Ingest.Data;

public static class BackupQueries
{
    /// <summary>
    /// The owner's snapshots: its completed backups. A deleted backup has status deleted, so
    /// every listing, browse, restore and "latest" that starts here no longer sees it.
    /// </summary>
    public static IQueryable<BackupRecord> SnapshotsOf(this IQueryable<BackupRecord> backups, SnapshotOwner owner) =>
        backups.Where(b => b.TenantId == owner.TenantId && b.ClientId == owner.ClientId && b.Status == BackupStatus.Completed);
}
