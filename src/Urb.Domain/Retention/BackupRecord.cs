namespace Urb.Domain.Retention;

/// <summary>
/// A completed backup (a snapshot) as the cleanup sees it. <see cref="ChargedBytes"/> is what
/// the client is charged for it: its own content plus an equal share of content it shares with
/// other backups. Failed and running attempts are not snapshots and are never given to the planners.
/// </summary>
public sealed record BackupRecord
{
    public BackupRecord(Guid id, BackupType type, DateTimeOffset finished, long chargedBytes, ArchiveMark? archive = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chargedBytes);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "unknown backup type");
        }
        Id = id;
        Type = type;
        Finished = finished;
        ChargedBytes = chargedBytes;
        Archive = archive;
    }

    public Guid Id { get; }

    public BackupType Type { get; }

    public DateTimeOffset Finished { get; }

    public long ChargedBytes { get; }

    /// <summary>The archive mark, also one that ran out and is not cleared yet (see <see cref="IsArchivedAt"/>); null if not archived.</summary>
    public ArchiveMark? Archive { get; }

    /// <summary>Whether the backup is archived, and so exempt from cleanup, at <paramref name="now"/>.</summary>
    public bool IsArchivedAt(DateTimeOffset now) => Archive?.IsActiveAt(now) == true;

    /// <summary>This backup archived by an operator: kept until unarchived, also if a rule had archived it.</summary>
    public BackupRecord ArchivedManually(DateTimeOffset now) => new(Id, Type, Finished, ChargedBytes, ArchiveMark.Manual(now));

    /// <summary>This backup with its archive cleared (an operator's unarchive, or a rule's archive that ran out).</summary>
    public BackupRecord Unarchived() => new(Id, Type, Finished, ChargedBytes);

    /// <summary>This backup with <paramref name="mark"/>, as an <see cref="ArchiveDecision"/> asks.</summary>
    public BackupRecord WithArchive(ArchiveMark? mark) => new(Id, Type, Finished, ChargedBytes, mark);

    /// <summary>Oldest first; equal times by id, so every plan is the same for the same input.</summary>
    internal static int CompareAge(BackupRecord a, BackupRecord b)
    {
        var byTime = a.Finished.CompareTo(b.Finished);
        return byTime != 0 ? byTime : a.Id.CompareTo(b.Id);
    }
}
