namespace Urb.Domain.Scheduling;

/// <summary>
/// A weekly backup window in UrBackup's grammar, e.g. <c>1-5/8-19;6,7/0-24</c>.
/// </summary>
/// <remarks>
/// <para>
/// A window is wall-clock: it answers for the local date and time the caller passes (after
/// converting with its own <see cref="TimeZoneInfo"/>); <see cref="DateTime.Kind"/> and the
/// seconds are ignored. Across a DST change the window follows the clock: a skipped hour is
/// simply never seen, a repeated hour is inside (or outside) twice.
/// </para>
/// <para>
/// An hour range that wraps midnight (<c>22-6</c>) starts on each listed day and its part
/// after midnight belongs to the following morning, as UrBackup treats it: <c>1/22-6</c> is
/// Monday 22:00 to Tuesday 06:00, not Monday 00:00–06:00. Sunday's wrap runs into Monday.
/// See <see cref="Parse"/> for the full grammar.
/// </para>
/// </remarks>
public sealed class BackupWindow
{
    internal const int MinutesPerDay = 24 * 60;
    internal const int MinutesInWeek = 7 * MinutesPerDay;

    /// <summary>The longest <see cref="NextStart"/> looks ahead.</summary>
    public static readonly TimeSpan SearchLimit = TimeSpan.FromDays(8);

    // One flag per minute of the week, Monday 00:00 first.
    private readonly bool[] _minutes;

    private BackupWindow(string text, bool[] minutes)
    {
        Text = text;
        _minutes = minutes;
        MinutesPerWeek = minutes.Count(m => m);
    }

    /// <summary>Every minute of every day (what an empty string or <c>*</c> parses to).</summary>
    public static BackupWindow Always { get; } = new("*", Enumerable.Repeat(true, MinutesInWeek).ToArray());

    /// <summary>No minute at all; the grammar cannot express it, callers use it to switch a schedule off.</summary>
    public static BackupWindow Never { get; } = new("", new bool[MinutesInWeek]);

    /// <summary>The text the window was parsed from (trimmed).</summary>
    public string Text { get; }

    /// <summary>How many minutes of a week are inside; the measure of how specific a window is.</summary>
    public int MinutesPerWeek { get; }

    public bool IsAlways => MinutesPerWeek == MinutesInWeek;

    /// <summary>
    /// Parses <paramref name="text"/>. Grammar: windows separated by <c>;</c> (one trailing
    /// <c>;</c> is tolerated), each <c>DAYS/HOURS</c>. DAYS: comma-separated days or ranges of
    /// days, 1 = Monday … 7 = Sunday, 0 also Sunday, or names (<c>mon</c>…<c>sun</c>,
    /// <c>monday</c>…<c>sunday</c>, any case); a range may wrap the week (<c>6-2</c>), and
    /// <c>0-7</c> is the whole week. HOURS: comma-separated ranges <c>H[:MM]-H[:MM]</c>, end
    /// exclusive, <c>0-24</c> the whole day, a range may wrap midnight (<c>22-6</c>).
    /// Whitespace around tokens is ignored. An empty, blank or null text or <c>*</c> means always.
    /// </summary>
    /// <param name="text">The window text.</param>
    /// <param name="field">The request field named in the <see cref="Errors.InvalidInputException"/>.</param>
    /// <exception cref="Errors.InvalidInputException">The text is not a valid window.</exception>
    public static BackupWindow Parse(string? text, string field = "window") => Parse(text, field, "");

    internal static BackupWindow Parse(string? text, string field, string context)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0 || trimmed == "*")
        {
            return Always;
        }
        return new BackupWindow(trimmed, BackupWindowParser.Parse(trimmed, field, context));
    }

    /// <summary>Whether the wall-clock minute of <paramref name="localTime"/> is inside the window.</summary>
    public bool Contains(DateTime localTime) => _minutes[MinuteOfWeek(localTime)];

    /// <summary>
    /// <paramref name="localTime"/> itself if it is inside; otherwise the first whole minute
    /// after it that is inside, looking at most <see cref="SearchLimit"/> ahead. Null when the
    /// window is empty (or the search would run past <see cref="DateTime.MaxValue"/>).
    /// </summary>
    public DateTime? NextStart(DateTime localTime)
    {
        if (MinutesPerWeek == 0)
        {
            return null;
        }
        if (Contains(localTime))
        {
            return localTime;
        }
        var candidate = localTime.AddTicks(-(localTime.Ticks % TimeSpan.TicksPerMinute));
        var steps = (int)SearchLimit.TotalMinutes;
        for (var i = 0; i < steps; i++)
        {
            if (DateTime.MaxValue - candidate < TimeSpan.FromMinutes(1))
            {
                return null;
            }
            candidate = candidate.AddMinutes(1);
            if (Contains(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public override string ToString() => Text;

    /// <summary>Monday = 0 … Sunday = 6.</summary>
    internal static int DayIndex(DayOfWeek day) => ((int)day + 6) % 7;

    private static int MinuteOfWeek(DateTime t) => DayIndex(t.DayOfWeek) * MinutesPerDay + t.Hour * 60 + t.Minute;
}
