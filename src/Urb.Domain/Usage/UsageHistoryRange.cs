using Urb.Domain.Errors;

namespace Urb.Domain.Usage;

/// <summary>Which recorded days a usage history covers: the last N UTC days up to and including today.</summary>
public static class UsageHistoryRange
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    /// <summary>The first day of the last <paramref name="days"/> days ending on <paramref name="today"/> (0: <see cref="DefaultDays"/>).</summary>
    public static DateOnly FirstDay(DateOnly today, int days)
    {
        var count = days switch
        {
            0 => DefaultDays,
            < 0 or > MaxDays => throw new InvalidInputException("days", $"days is 1–{MaxDays}, or 0 for {DefaultDays}."),
            var n => n,
        };
        return today.AddDays(1 - count);
    }

    /// <summary>The UTC day of an instant, as history rows are keyed.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    /// <summary>The wire form of a day (yyyy-MM-dd).</summary>
    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
