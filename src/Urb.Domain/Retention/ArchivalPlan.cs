namespace Urb.Domain.Retention;

/// <summary>Archive <see cref="Backup"/> now with <see cref="Mark"/>, because of <see cref="Rule"/>.</summary>
public sealed record ArchiveDecision(BackupRecord Backup, ArchivalRule Rule, ArchiveMark Mark, string Explanation);

/// <summary>A rule-made archive that ran out: clear <see cref="Mark"/> from <see cref="Backup"/>; it is an ordinary backup again.</summary>
public sealed record ArchiveExpiry(BackupRecord Backup, ArchiveMark Mark, string Explanation);

public enum ArchivalRuleStatus
{
    /// <summary>The rule was due and archived a backup.</summary>
    Archived,

    /// <summary>The rule's last archive is more recent than its period.</summary>
    NotDue,

    /// <summary>The rule was due, but no backup of its types finished since its last archive.</summary>
    NothingToArchive,
}

/// <summary>
/// What one rule did and why. <see cref="LastArchivedAt"/> is the time to store for the rule
/// (now, when it archived), so the next run knows it even after that archive is gone.
/// </summary>
public sealed record ArchivalRuleOutcome(ArchivalRule Rule, ArchivalRuleStatus Status, DateTimeOffset? LastArchivedAt, DateTimeOffset? NextDue, string Explanation);

/// <summary>One client's archival: backups to archive, archives that ran out, and each rule's outcome in the order given.</summary>
public sealed record ArchivalPlan(IReadOnlyList<ArchiveDecision> Archive, IReadOnlyList<ArchiveExpiry> Expire, IReadOnlyList<ArchivalRuleOutcome> Rules);
