namespace Urb.Domain.Retention;

public enum RetentionAction
{
    Keep,
    Delete,
}

/// <summary>Why a backup is kept or deleted; <see cref="RetentionDecision.Explanation"/> says it in words.</summary>
public enum RetentionReason
{
    /// <summary>Kept: within its type's max count.</summary>
    WithinMaxCount,

    /// <summary>Kept: the newest backup of a kept day, week, month or year.</summary>
    KeptByGfs,

    /// <summary>Kept although it would otherwise go: it is archived.</summary>
    Archived,

    /// <summary>Kept although it would otherwise go: its type is at its min count.</summary>
    MinCount,

    /// <summary>Deleted: its type has more backups than its max count and it is among the oldest.</summary>
    OverMaxCount,

    /// <summary>Deleted: not the newest backup of any kept day, week, month or year.</summary>
    NotKeptByGfs,

    /// <summary>Deleted: the client is above its soft quota.</summary>
    OverClientQuota,

    /// <summary>Deleted: all clients together are above the global soft quota.</summary>
    OverGlobalQuota,
}

/// <summary>What the cleanup does with one backup, and why, in words for the log.</summary>
public sealed record RetentionDecision(Guid ClientId, BackupRecord Backup, RetentionAction Action, RetentionReason Reason, string Explanation)
{
    public bool IsDelete => Action == RetentionAction.Delete;

    /// <summary>Kept only because of an exemption (archived, or at the min count).</summary>
    public bool IsExemption => Reason is RetentionReason.Archived or RetentionReason.MinCount;

    public override string ToString() =>
        $"{(IsDelete ? "delete" : "keep")} {Backup.Type.Describe()} backup {Backup.Id}: {Explanation}";
}
