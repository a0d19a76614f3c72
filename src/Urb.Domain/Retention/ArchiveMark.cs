namespace Urb.Domain.Retention;

/// <summary>
/// Why and until when a backup is archived. Archived backups are exempt from every cleanup.
/// A manual archive (an operator's call) lasts until it is unarchived; a rule-made one lasts
/// until <see cref="Until"/> (null: forever) and is then an ordinary backup again: the
/// <see cref="ArchivalPlanner"/> lists it to be cleared, and the cleanup no longer exempts it
/// even before it is. When a rule last archived is stored per rule, so clearing its marks does
/// not make it archive again early.
/// </summary>
public sealed record ArchiveMark
{
    private ArchiveMark(string? ruleId, DateTimeOffset archivedAt, DateTimeOffset? until)
    {
        if (until is { } u && u < archivedAt)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, "an archive cannot end before it starts");
        }
        RuleId = ruleId;
        ArchivedAt = archivedAt;
        Until = until;
    }

    /// <summary>The rule that archived the backup (<see cref="ArchivalRule.Id"/>); null for a manual archive.</summary>
    public string? RuleId { get; }

    public DateTimeOffset ArchivedAt { get; }

    /// <summary>The last moment the archive holds; null: until unarchived (manual) or forever (rule).</summary>
    public DateTimeOffset? Until { get; }

    public bool IsManual => RuleId is null;

    /// <summary>Archived by an operator: kept until someone unarchives it.</summary>
    public static ArchiveMark Manual(DateTimeOffset archivedAt) => new(null, archivedAt, null);

    /// <summary>Archived by a rule, until <paramref name="until"/> (null: forever).</summary>
    public static ArchiveMark ByRule(string ruleId, DateTimeOffset archivedAt, DateTimeOffset? until)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        return new ArchiveMark(ruleId, archivedAt, until);
    }

    /// <summary>Whether the archive still holds at <paramref name="now"/> (it ends after <see cref="Until"/>).</summary>
    public bool IsActiveAt(DateTimeOffset now) => Until is not { } until || now <= until;

    /// <summary>"archived manually on …", "archived by rule '…' until …", for log lines.</summary>
    public string Describe(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (IsManual)
        {
            return $"archived manually on {RetentionText.Time(ArchivedAt, zone)}, kept until unarchived";
        }
        return Until is { } until
            ? $"archived by rule '{RuleId}' until {RetentionText.Time(until, zone)}"
            : $"archived by rule '{RuleId}' forever";
    }
}
