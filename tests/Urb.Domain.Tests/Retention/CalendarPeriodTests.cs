using Urb.Domain.Retention;

namespace Urb.Domain.Tests.Retention;

public sealed class CalendarPeriodTests
{
    private static readonly DateTimeOffset Jan31 = new(2024, 1, 31, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(5, PeriodUnit.Hour, "2024-01-31T08:00:00Z")]
    [InlineData(2, PeriodUnit.Day, "2024-02-02T03:00:00Z")]
    [InlineData(2, PeriodUnit.Week, "2024-02-14T03:00:00Z")]
    [InlineData(1, PeriodUnit.Month, "2024-02-29T03:00:00Z")]
    [InlineData(2, PeriodUnit.Month, "2024-03-31T03:00:00Z")]
    [InlineData(13, PeriodUnit.Month, "2025-02-28T03:00:00Z")]
    [InlineData(1, PeriodUnit.Year, "2025-01-31T03:00:00Z")]
    public void AddTo_Units(int count, PeriodUnit unit, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), new CalendarPeriod(count, unit).AddTo(Jan31));
    }

    [Fact]
    public void AddTo_LeapDayPlusAYear_IsFebruary28()
    {
        var leapDay = new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2025, 2, 28, 12, 0, 0, TimeSpan.Zero), new CalendarPeriod(1, PeriodUnit.Year).AddTo(leapDay));
    }

    [Fact]
    public void AddTo_MonthsInUtc_WhateverTheOffset()
    {
        var berlinEvening = new DateTimeOffset(2024, 2, 1, 0, 30, 0, TimeSpan.FromHours(1)); // 31 January 23:30 UTC

        Assert.Equal(new DateTimeOffset(2024, 2, 29, 23, 30, 0, TimeSpan.Zero), new CalendarPeriod(1, PeriodUnit.Month).AddTo(berlinEvening));
    }

    [Theory]
    [InlineData(PeriodUnit.Hour)]
    [InlineData(PeriodUnit.Day)]
    [InlineData(PeriodUnit.Week)]
    [InlineData(PeriodUnit.Month)]
    [InlineData(PeriodUnit.Year)]
    public void AddTo_PastTheEndOfTheCalendar_IsMaxValue(PeriodUnit unit)
    {
        var late = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(DateTimeOffset.MaxValue, new CalendarPeriod(9999, unit).AddTo(late));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10000)]
    public void Constructor_CountOutOfRange_Throws(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CalendarPeriod(count, PeriodUnit.Day));
    }

    [Fact]
    public void Constructor_UnknownUnit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CalendarPeriod(1, (PeriodUnit)7));
    }

    [Theory]
    [InlineData(12, PeriodUnit.Hour, "12h")]
    [InlineData(7, PeriodUnit.Day, "7d")]
    [InlineData(2, PeriodUnit.Week, "2w")]
    [InlineData(6, PeriodUnit.Month, "6m")]
    [InlineData(1, PeriodUnit.Year, "1y")]
    public void ToString_IsCountAndUnit(int count, PeriodUnit unit, string text)
    {
        Assert.Equal(text, new CalendarPeriod(count, unit).ToString());
    }
}
