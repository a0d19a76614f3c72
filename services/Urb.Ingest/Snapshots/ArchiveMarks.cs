using Google.Protobuf.WellKnownTypes;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Domain.Errors;
using Urb.Ingest.Data;
using ArchiveMark = Urb.Domain.Retention.ArchiveMark;

namespace Urb.Ingest.Snapshots;

/// <summary>
/// Archive marks between the request, the <c>backups</c> row and the answers. The mark itself is
/// the retention rules' <see cref="ArchiveMark"/>, so Ingest stores exactly what the cleanup decides.
/// </summary>
public static class ArchiveMarks
{
    /// <summary>Rule ids are the rules' canonical text (<c>every 7d keep 30d of full-file</c>): short.</summary>
    public const int MaxRuleIdLength = 256;

    /// <summary>The row's mark; null when it is not archived.</summary>
    public static ArchiveMark? From(BackupRecord record) => record.ArchivedAt switch
    {
        null => null,
        { } at when record.ArchiveRuleId is { } rule => ArchiveMark.ByRule(rule, at, record.ArchivedUntil),
        { } at => ArchiveMark.Manual(at),
    };

    /// <summary>Checks a requested mark; <see cref="InvalidInputException"/> naming the field, before anything changes.</summary>
    public static ArchiveMark Parse(ArchiveState state, string field)
    {
        var archivedAt = Time(state.ArchivedAt, $"{field}.archived_at")
            ?? throw new InvalidInputException($"{field}.archived_at", "An archive mark needs archived_at.");
        var until = Time(state.Until, $"{field}.until");
        if (until < archivedAt)
        {
            throw new InvalidInputException($"{field}.until", $"An archive cannot end before it starts: until {until:O} is before archived_at {archivedAt:O}.");
        }
        if (state.RuleId.Length == 0)
        {
            // A manual archive lasts until an operator lifts it; an end would make it a rule's.
            return until is null
                ? ArchiveMark.Manual(archivedAt)
                : throw new InvalidInputException($"{field}.until", "A manual archive (no rule_id) has no end; name the rule, or leave until unset.");
        }
        if (string.IsNullOrWhiteSpace(state.RuleId) || state.RuleId.Length > MaxRuleIdLength)
        {
            throw new InvalidInputException($"{field}.rule_id", $"A rule id is 1 to {MaxRuleIdLength} characters, not only white space.");
        }
        return ArchiveMark.ByRule(state.RuleId, archivedAt, until);
    }

    public static ArchiveState ToState(ArchiveMark mark) => new()
    {
        RuleId = mark.RuleId ?? "",
        ArchivedAt = Timestamp.FromDateTimeOffset(mark.ArchivedAt),
        Until = mark.Until is { } until ? Timestamp.FromDateTimeOffset(until) : null,
    };

    public static SnapshotArchive ToSnapshotArchive(ArchiveMark mark) => new()
    {
        RuleId = mark.RuleId ?? "",
        ArchivedAt = Timestamp.FromDateTimeOffset(mark.ArchivedAt),
        Until = mark.Until is { } until ? Timestamp.FromDateTimeOffset(until) : null,
    };

    /// <summary>
    /// A timestamp as PostgreSQL keeps it (microseconds), so setting the same mark again is seen
    /// as no change; null when unset.
    /// </summary>
    private static DateTimeOffset? Time(Timestamp? timestamp, string field)
    {
        if (timestamp is null) return null;
        try
        {
            var time = timestamp.ToDateTimeOffset();
            return time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));
        }
        catch (InvalidOperationException)
        {
            throw new InvalidInputException(field, "Not a valid timestamp (years 1 to 9999, nanos 0 to 999,999,999).");
        }
    }
}
