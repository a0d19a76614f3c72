namespace Urb.Domain.Retention;

/// <summary>
/// The first step of a client's cleanup: per backup type, archived backups are kept, and the
/// others by count (above the max the oldest go) or by the <see cref="GfsRule"/> (what it does not
/// keep goes, oldest first, while the type stays above its min count).
/// </summary>
internal static class RetentionRules
{
    public static void Apply(ClientLedger ledger)
    {
        var zone = ledger.Context.TimeZone;
        var byAge = Comparer<BackupRecord>.Create(BackupRecord.CompareAge);
        foreach (var type in BackupTypeExtensions.All)
        {
            var ofType = ledger.Input.Backups.Where(b => b.Type == type).Order(byAge).ToList();
            var unarchived = new List<BackupRecord>();
            foreach (var backup in ofType)
            {
                if (backup.IsArchivedAt(ledger.Context.Now))
                {
                    ledger.Keep(backup, RetentionReason.Archived, backup.Archive!.Describe(zone));
                }
                else
                {
                    unarchived.Add(backup);
                }
            }
            if (ledger.Input.Policy.Gfs is { } gfs)
            {
                ByGfs(ledger, type, unarchived, gfs);
            }
            else
            {
                ByCount(ledger, type, unarchived);
            }
        }
    }

    /// <param name="oldestFirst">The type's backups that are not archived.</param>
    private static void ByCount(ClientLedger ledger, BackupType type, List<BackupRecord> oldestFirst)
    {
        var max = ledger.Input.Policy.LimitsFor(type).Max;
        var count = oldestFirst.Count;
        var over = Math.Max(0, count - max);
        for (var i = 0; i < count; i++)
        {
            var backup = oldestFirst[i];
            if (i < over)
            {
                ledger.Delete(backup, RetentionReason.OverMaxCount,
                    $"{RetentionText.Count(count, type)} not archived, above the max of {max}: the {over} oldest go");
            }
            else
            {
                ledger.Keep(backup, RetentionReason.WithinMaxCount, over == 0
                    ? $"{RetentionText.Count(count, type)} not archived, within the max of {max}"
                    : $"one of the newest {max} of {RetentionText.Count(count, type)} not archived (max {max})");
            }
        }
    }

    private static void ByGfs(ClientLedger ledger, BackupType type, List<BackupRecord> oldestFirst, GfsRule gfs)
    {
        var kept = GfsSelector.Select(oldestFirst, gfs, ledger.Context.TimeZone);
        var min = ledger.Min(type);
        foreach (var backup in oldestFirst)
        {
            if (kept.TryGetValue(backup.Id, out var periods))
            {
                ledger.Keep(backup, RetentionReason.KeptByGfs, $"the newest {type.Describe()} backup of {string.Join(", ", periods)} ({gfs})");
            }
            else if (ledger.Remaining(type) > min)
            {
                ledger.Delete(backup, RetentionReason.NotKeptByGfs,
                    $"not the newest {type.Describe()} backup of a kept day, week, month or year ({gfs})");
            }
            else
            {
                ledger.Keep(backup, RetentionReason.MinCount,
                    $"not the newest {type.Describe()} backup of a kept day, week, month or year ({gfs}), but {type.Describe()} backups are at their min count of {min}");
            }
        }
    }
}
