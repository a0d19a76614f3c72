namespace Urb.Domain.Retention;

/// <summary>
/// The soft quotas. While the charged bytes are above the limit, the oldest backup whose type is
/// above its min count goes, alternating image and file backups per client as UrBackup does
/// (an image backup, a file backup, an image backup, …; a side with nothing deletable is skipped).
/// Deleting a backup is assumed to free its charged bytes; shares of content that other backups
/// still use move to them, so the real usage may fall less, and the next night's run goes on.
/// </summary>
internal static class QuotaEnforcer
{
    public static QuotaOutcome EnforceClient(ClientLedger ledger)
    {
        var quota = ledger.Input.Quota;
        var limit = quota.LimitFor(ledger.Context.StorageCapacityBytes);
        var before = ledger.RemainingBytes;
        if (Unenforced(quota, limit, before) is { } outcome)
        {
            return outcome;
        }
        var limitText = Describe(quota, limit!.Value, ledger.Context);
        var deleted = 0;
        while (ledger.RemainingBytes > limit && ledger.NextQuotaCandidate() is { } candidate)
        {
            ledger.DeleteForQuota(candidate, RetentionReason.OverClientQuota,
                $"the client's backups are charged {RetentionText.Bytes(ledger.RemainingBytes)}, above its quota of {limitText}: "
                + $"image and file backups go in turn, and this is the oldest {Side(candidate)} backup whose type is above its min count");
            deleted++;
        }
        var after = ledger.RemainingBytes;
        if (after <= limit)
        {
            return new QuotaOutcome(limit, before, after, deleted,
                $"charged {RetentionText.Bytes(before)} of a quota of {limitText}; {deleted} deleted, {RetentionText.Bytes(after)} left");
        }
        MarkMinCounts([ledger], $"the client is still above its quota of {limitText} ({RetentionText.Bytes(after)})");
        return new QuotaOutcome(limit, before, after, deleted,
            $"charged {RetentionText.Bytes(before)} of a quota of {limitText}; {deleted} deleted, still {RetentionText.Bytes(after)}: "
            + "every other backup is archived or at its type's min count");
    }

    public static QuotaOutcome EnforceGlobal(IReadOnlyList<ClientLedger> ledgers, SoftQuota quota, CleanupContext context)
    {
        var limit = quota.LimitFor(context.StorageCapacityBytes);
        var before = ledgers.Sum(l => l.RemainingBytes);
        if (Unenforced(quota, limit, before) is { } outcome)
        {
            return outcome;
        }
        var limitText = Describe(quota, limit!.Value, context);
        var used = before;
        var deleted = 0;
        // Each client offers its next candidate (its own alternation); the oldest offer goes first.
        var offers = new PriorityQueue<ClientLedger, BackupRecord>(Comparer<BackupRecord>.Create(BackupRecord.CompareAge));
        foreach (var ledger in ledgers)
        {
            if (ledger.NextQuotaCandidate() is { } candidate)
            {
                offers.Enqueue(ledger, candidate);
            }
        }
        while (used > limit && offers.TryDequeue(out var ledger, out var candidate))
        {
            ledger.DeleteForQuota(candidate, RetentionReason.OverGlobalQuota,
                $"all clients' backups are charged {RetentionText.Bytes(used)}, above the global quota of {limitText}: "
                + $"each client offers its next backup (image and file in turn, types above their min counts), and this {Side(candidate)} backup is the oldest offer");
            used -= candidate.ChargedBytes;
            deleted++;
            if (ledger.NextQuotaCandidate() is { } next)
            {
                offers.Enqueue(ledger, next);
            }
        }
        if (used <= limit)
        {
            return new QuotaOutcome(limit, before, used, deleted,
                $"all clients charged {RetentionText.Bytes(before)} of a global quota of {limitText}; {deleted} deleted, {RetentionText.Bytes(used)} left");
        }
        MarkMinCounts(ledgers, $"all clients are still above the global quota of {limitText} ({RetentionText.Bytes(used)})");
        return new QuotaOutcome(limit, before, used, deleted,
            $"all clients charged {RetentionText.Bytes(before)} of a global quota of {limitText}; {deleted} deleted, still {RetentionText.Bytes(used)}: "
            + "every other backup is archived or at its type's min count");
    }

    private static string Side(BackupRecord backup) => backup.Type.Side() == BackupSide.Image ? "image" : "file";

    private static QuotaOutcome? Unenforced(SoftQuota quota, long? limit, long used)
    {
        if (quota.IsNone)
        {
            return new QuotaOutcome(null, used, used, 0, $"no quota; charged {RetentionText.Bytes(used)}");
        }
        if (limit is null)
        {
            return new QuotaOutcome(null, used, used, 0,
                $"the quota of {quota} is not enforced: the storage's capacity is unknown; charged {RetentionText.Bytes(used)}");
        }
        return null;
    }

    private static string Describe(SoftQuota quota, long limit, CleanupContext context) => quota.Percent is { } percent
        ? $"{quota} of {RetentionText.Bytes(context.StorageCapacityBytes ?? 0)} ({RetentionText.Bytes(limit)})"
        : RetentionText.Bytes(limit);

    /// <summary>After a quota that could not be met, every kept backup that is not archived stays only for its min count.</summary>
    private static void MarkMinCounts(IEnumerable<ClientLedger> ledgers, string why)
    {
        foreach (var ledger in ledgers)
        {
            foreach (var backup in ledger.KeptUnarchived().ToList())
            {
                if (ledger.DecisionFor(backup)!.Reason != RetentionReason.MinCount)
                {
                    ledger.Keep(backup, RetentionReason.MinCount,
                        $"{why}, but {backup.Type.Describe()} backups are at their min count of {ledger.Min(backup.Type)}");
                }
            }
        }
    }
}
