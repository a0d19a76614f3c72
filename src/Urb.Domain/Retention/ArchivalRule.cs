namespace Urb.Domain.Retention;

/// <summary>
/// "Archive one backup every <see cref="Every"/>, keep it for <see cref="KeepFor"/> (null:
/// forever)", for backups of the types in <see cref="Scope"/>. Written as
/// <c>every 7d keep 30d</c>, <c>every 1m keep forever of full-file</c>; see <see cref="Parse"/>.
/// Its <see cref="Id"/> is its canonical text, so changing a rule makes a new rule.
/// </summary>
public sealed record ArchivalRule
{
    public ArchivalRule(CalendarPeriod every, CalendarPeriod? keepFor, BackupTypes scope = BackupTypes.Any)
    {
        if (every == default)
        {
            throw new ArgumentException("A rule needs a period to archive every so often.", nameof(every));
        }
        if (scope == BackupTypes.None || (scope & ~BackupTypes.Any) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "a rule applies to at least one backup type");
        }
        Every = every;
        KeepFor = keepFor;
        Scope = scope;
    }

    public CalendarPeriod Every { get; }

    /// <summary>How long an archive made by this rule lasts; null: forever.</summary>
    public CalendarPeriod? KeepFor { get; }

    public BackupTypes Scope { get; }

    /// <summary>The canonical text, which names the rule in archive marks and logs.</summary>
    public string Id => ToString();

    /// <summary>
    /// Parses a rule. Grammar: the clauses <c>every PERIOD</c> (required), <c>keep PERIOD</c> or
    /// <c>keep forever</c> (required) and <c>of TYPES</c> (optional, default <c>any</c>), each once,
    /// in any order, separated by spaces; words in any case. PERIOD: a count 1–9999 and a unit,
    /// <c>h</c> hours, <c>d</c> days, <c>w</c> weeks, <c>m</c> months, <c>y</c> years (<c>7d</c>).
    /// TYPES: <c>any</c>, <c>file</c>, <c>image</c>, <c>incremental-file</c>, <c>full-file</c>,
    /// <c>incremental-image</c>, <c>full-image</c> (also UrBackup's <c>incr_file</c> … spellings).
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">The text is not a rule.</exception>
    public static ArchivalRule Parse(string? text, string field = "archive") => ArchivalRuleParser.Parse(text, field);

    /// <summary>When an archive made at <paramref name="archivedAt"/> ends; null: never.</summary>
    public DateTimeOffset? UntilFor(DateTimeOffset archivedAt) => KeepFor?.AddTo(archivedAt);

    /// <summary><c>every 7d keep 30d</c>, with <c>of TYPES</c> unless it is any type.</summary>
    public override string ToString() =>
        $"every {Every} keep {(KeepFor is { } keep ? keep.ToString() : "forever")}"
        + (Scope == BackupTypes.Any ? "" : " of " + ArchivalRuleParser.ScopeName(Scope));
}
