namespace Urb.Ingest.Garbage;

public sealed partial class GarbageCollector
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Garbage collection of tenant {TenantId}: {Snapshots} snapshots marked (cutoff {Cutoff:o}), {Live} objects live, " +
                  "{GuardTrees} trees outside snapshots guarding {Guarded} objects; {Revived} revived, {Condemned} condemned, {Deleted} deleted; " +
                  "references {ReferencesAdded} added, {ReferencesRemoved} removed; {FileEntries} file entries deleted; " +
                  "packs {PacksDeleted} deleted, {PacksRewritten} rewritten, {Bytes} bytes reclaimed")]
    private partial void LogCollected(
        Guid tenantId, int snapshots, DateTimeOffset cutoff, int live, int guardTrees, int guarded, long revived, long condemned, long deleted,
        long referencesAdded, long referencesRemoved, long fileEntries, int packsDeleted, int packsRewritten, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Garbage collection of tenant {TenantId} skipped: another run holds it")]
    private partial void LogTenantBusy(Guid tenantId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Garbage collection of tenant {TenantId} failed (nothing more of it is deleted this run): {Reason}")]
    private partial void LogTenantFailed(Guid tenantId, string reason);
}
