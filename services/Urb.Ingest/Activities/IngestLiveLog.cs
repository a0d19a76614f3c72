using System.Globalization;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;
using Urb.Contracts.Ingest.V1;
using Urb.Contracts.Snapshots;
using Urb.Ingest.Data;
using Urb.ServiceDefaults.LiveLogging;
using RetentionText = Urb.Domain.Retention.RetentionText;

namespace Urb.Ingest.Activities;

/// <summary>
/// Urb.Ingest's live log lines (backups, restores, garbage collection), worded in one place.
/// Publishing is fire-and-forget (<see cref="LiveLog"/>): a Redis outage never fails or slows a
/// backup or restore.
/// </summary>
public sealed class IngestLiveLog(LiveLog log)
{
    public void BackupStarted(SnapshotOwner owner, Guid backupId, BackupStart start) =>
        Publish(owner, LiveLogLevel.Info,
            $"Backup {backupId} started ({start.Kind.DisplayName()}, {Count(start.Paths.Count, start.Kind.IsImage() ? "volume" : "path")})");

    public void BackupCompleted(SnapshotOwner owner, BackupRecord backup)
    {
        var files = backup.FilesNew + backup.FilesChanged + backup.FilesUnchanged;
        var warnings = backup.Warnings == 0 ? "" : $" with {Count(backup.Warnings, "warning")}";
        Publish(owner, warnings.Length == 0 ? LiveLogLevel.Info : LiveLogLevel.Warning,
            $"Backup {backup.Id} completed{warnings}: {Count(files, "file")} ({backup.FilesNew} new, {backup.FilesChanged} changed), " +
            $"{RetentionText.Bytes(backup.TotalBytes)}, {RetentionText.Bytes(backup.BytesNew)} new, in {Duration((backup.FinishedAt ?? backup.StartedAt) - backup.StartedAt)}");
    }

    /// <summary>A backup that ended without a snapshot: interrupted (the stream went away) or failed.</summary>
    public void BackupEnded(SnapshotOwner owner, Guid backupId, bool interrupted, string reason) =>
        Publish(owner, interrupted ? LiveLogLevel.Warning : LiveLogLevel.Error,
            $"Backup {backupId} {(interrupted ? "interrupted" : "failed")}: {reason}");

    public void RestoreStarted(BackupRecord snapshot, string path, long files, long bytes) =>
        Publish(Owner(snapshot), LiveLogLevel.Info,
            $"Restore from backup {snapshot.Id} started: {(path.Length == 0 ? "everything" : path)}, {Count(files, "file")}, {RetentionText.Bytes(bytes)}");

    public void RestoreFinished(BackupRecord snapshot, long files, long bytes, TimeSpan took) =>
        Publish(Owner(snapshot), LiveLogLevel.Info,
            $"Restore from backup {snapshot.Id} finished: {Count(files, "file")}, {RetentionText.Bytes(bytes)} in {Duration(took)}");

    public void RestoreEnded(BackupRecord snapshot, bool interrupted, string reason) =>
        Publish(Owner(snapshot), interrupted ? LiveLogLevel.Warning : LiveLogLevel.Error,
            $"Restore from backup {snapshot.Id} {(interrupted ? "interrupted" : "failed")}: {reason}");

    public void GarbageCollected(Guid tenant, CollectGarbageReport report) =>
        log.Publish(LiveLogEvent.ForTenant(tenant, LiveLogLevel.Info,
            $"Garbage collection: {Count(report.SnapshotsMarked, "snapshot")} marked; objects {report.ObjectsCondemned} condemned, " +
            $"{report.ObjectsRevived} revived, {report.ObjectsDeleted} deleted; packs {report.PacksDeleted} deleted, " +
            $"{report.PacksRewritten} rewritten; {RetentionText.Bytes(report.BytesReclaimed)} reclaimed"));

    public void GarbageSkipped(Guid tenant) =>
        log.Publish(LiveLogEvent.ForTenant(tenant, LiveLogLevel.Debug, "Garbage collection skipped: another run holds the tenant"));

    public void GarbageFailed(Guid tenant, string reason) =>
        log.Publish(LiveLogEvent.ForTenant(tenant, LiveLogLevel.Error,
            $"Garbage collection failed (nothing more of it is deleted this run): {reason}"));

    /// <summary>The summary of a run over every tenant: installation-wide, for global admins.</summary>
    public void GarbageRunEnded(CollectGarbageReport report) =>
        log.Publish(LiveLogEvent.Installation(report.TenantsFailed == 0 ? LiveLogLevel.Info : LiveLogLevel.Error,
            $"Garbage collection of every tenant: {Count(report.Tenants, "tenant")} collected, {report.TenantsFailed} failed; " +
            $"{RetentionText.Bytes(report.BytesReclaimed)} reclaimed"));

    private void Publish(SnapshotOwner owner, LiveLogLevel level, string message) =>
        log.Publish(LiveLogEvent.ForClient(owner.TenantId, owner.ClientId, level, message));

    private static SnapshotOwner Owner(BackupRecord backup) => new(backup.TenantId, backup.ClientId);

    private static string Count(long n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    /// <summary>"4.2 s" for short runs, "1:02:03" (hours) for long ones.</summary>
    private static string Duration(TimeSpan d) =>
        d < TimeSpan.FromMinutes(1)
            ? d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}:{d:mm\\:ss}");
}
