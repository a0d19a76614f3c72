using System.Globalization;

namespace Urb.Domain.Retention;

public enum PeriodUnit
{
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// <summary>
/// A span of an archival rule: <c>12h</c>, <c>7d</c>, <c>2w</c>, <c>1m</c> (month), <c>1y</c>.
/// Hours, days and weeks are fixed lengths; months and years are calendar arithmetic in UTC
/// (31 January + 1 month = 29 February in a leap year), so "every 1m" stays monthly.
/// </summary>
public readonly record struct CalendarPeriod
{
    public const int MaxCount = 9999;

    public CalendarPeriod(int count, PeriodUnit unit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        if (!Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "unknown unit");
        }
        Count = count;
        Unit = unit;
    }

    public int Count { get; }

    public PeriodUnit Unit { get; }

    /// <summary><paramref name="time"/> plus this period, or <see cref="DateTimeOffset.MaxValue"/> past the end of the calendar.</summary>
    public DateTimeOffset AddTo(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var max = DateTimeOffset.MaxValue;
        return Unit switch
        {
            PeriodUnit.Hour => max - utc < TimeSpan.FromHours(Count) ? max : utc.AddHours(Count),
            PeriodUnit.Day => max - utc < TimeSpan.FromDays(Count) ? max : utc.AddDays(Count),
            PeriodUnit.Week => max - utc < TimeSpan.FromDays(7 * Count) ? max : utc.AddDays(7 * Count),
            PeriodUnit.Month => utc.Year * 12 + utc.Month - 1 + Count > 9999 * 12 + 11 ? max : utc.AddMonths(Count),
            _ => utc.Year + Count > 9999 ? max : utc.AddYears(Count),
        };
    }

    /// <summary>The canonical text: <c>7d</c>.</summary>
    public override string ToString() => Count.ToString(CultureInfo.InvariantCulture) + Unit switch
    {
        PeriodUnit.Hour => "h",
        PeriodUnit.Day => "d",
        PeriodUnit.Week => "w",
        PeriodUnit.Month => "m",
        _ => "y",
    };
}
