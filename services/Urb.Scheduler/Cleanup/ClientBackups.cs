using Urb.Contracts.Backups;
using Urb.Contracts.Ingest.V1;
using Urb.Domain.Retention;

namespace Urb.Scheduler.Cleanup;

/// <summary>A client's snapshots as the retention rules see them.</summary>
public static class ClientBackups
{
    /// <summary>
    /// The catalog's backups with what each is charged. The index knows what a client is charged
    /// in all (<paramref name="clientStoredBytes"/>: its chunks, shared ones in equal parts), not
    /// per backup; each backup gets a part of it in proportion to the bytes it added when it ran
    /// (equal parts when none added any). The parts add up to the client's usage, so the quotas
    /// compare the real total; which backup frees how much is an estimate, and the next night
    /// works from the usage the garbage collection measured.
    /// </summary>
    public static IReadOnlyList<BackupRecord> ToRecords(IReadOnlyList<CatalogBackup> backups, long clientStoredBytes)
    {
        if (backups.Count == 0) return [];
        var weights = backups.Select(b => Math.Max(0, b.BytesNew)).ToArray();
        var total = weights.Sum(w => (decimal)w);
        var records = new List<BackupRecord>(backups.Count);
        long given = 0;
        for (var i = 0; i < backups.Count; i++)
        {
            var share = total > 0 ? weights[i] / total : 1m / backups.Count;
            // The last takes the rounding remainder, so the parts add up exactly.
            var charged = i == backups.Count - 1 ? clientStoredBytes - given : (long)Math.Floor(clientStoredBytes * share);
            given += charged;
            var backup = backups[i];
            records.Add(new BackupRecord(
                Guid.Parse(backup.BackupId),
                backup.Kind.ToBackupType(),
                backup.FinishedAt.ToDateTimeOffset(),
                Math.Max(0, charged),
                ToMark(backup.Archive)));
        }
        return records;
    }

    public static ArchiveMark? ToMark(ArchiveState? state)
    {
        if (state is null) return null;
        var at = state.ArchivedAt.ToDateTimeOffset();
        return state.RuleId.Length == 0 ? ArchiveMark.Manual(at) : ArchiveMark.ByRule(state.RuleId, at, state.Until?.ToDateTimeOffset());
    }

    public static ArchiveState ToState(ArchiveMark mark) => new()
    {
        RuleId = mark.RuleId ?? "",
        ArchivedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(mark.ArchivedAt),
        Until = mark.Until is { } until ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(until) : null,
    };
}
