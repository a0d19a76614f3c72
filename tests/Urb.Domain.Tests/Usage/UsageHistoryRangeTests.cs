using Urb.Domain.Errors;
using Urb.Domain.Usage;

namespace Urb.Domain.Tests.Usage;

public sealed class UsageHistoryRangeTests
{
    private static readonly DateOnly Today = new(2026, 3, 1);

    [Theory]
    [InlineData(1, "2026-03-01")]
    [InlineData(2, "2026-02-28")]
    [InlineData(0, "2026-01-31")]
    [InlineData(366, "2025-03-01")]
    public void FirstDay_LastNDaysIncludingToday(int days, string first) =>
        Assert.Equal(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), UsageHistoryRange.FirstDay(Today, days));

    [Theory]
    [InlineData(-1)]
    [InlineData(367)]
    public void FirstDay_OutOfRange_InvalidInputNamingDays(int days) =>
        Assert.Equal("days", Assert.Throws<InvalidInputException>(() => UsageHistoryRange.FirstDay(Today, days)).Field);

    [Fact]
    public void DayOf_UsesTheUtcDate()
    {
        var lateInBerlin = new DateTimeOffset(2026, 3, 2, 0, 30, 0, TimeSpan.FromHours(1));

        Assert.Equal(Today, UsageHistoryRange.DayOf(lateInBerlin));
        Assert.Equal("2026-03-01", UsageHistoryRange.Format(Today));
    }
}
