using Urb.Domain.Errors;
using Urb.Domain.Scheduling;
using static Urb.Domain.Tests.Scheduling.Week;

namespace Urb.Domain.Tests.Scheduling;

public sealed class BackupIntervalTests
{
    [Theory]
    [InlineData("1min", 1)]
    [InlineData("90min", 90)]
    [InlineData("5h", 5 * 60)]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("2w", 14 * 24 * 60)]
    [InlineData(" 5H ", 5 * 60)]
    [InlineData("07d", 7 * 24 * 60)]
    [InlineData("1W", 7 * 24 * 60)]
    [InlineData("2MIN", 2)]
    public void ParseOne_NumberAndUnit_IsThatLong(string text, int minutes)
    {
        var interval = BackupInterval.ParseOne(text);

        Assert.False(interval.IsOff);
        Assert.Equal(TimeSpan.FromMinutes(minutes), interval.Length);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    [InlineData(" Off ")]
    [InlineData("never")]
    [InlineData("Never")]
    [InlineData("-1")]
    [InlineData("-5")]
    [InlineData("-99999999")]
    public void ParseOne_OffNeverOrNegative_IsOff(string text)
    {
        var interval = BackupInterval.ParseOne(text);

        Assert.True(interval.IsOff);
        Assert.Null(interval.Length);
        Assert.Equal(BackupInterval.Off, interval);
        Assert.Equal("off", interval.ToString());
    }

    [Theory]
    [InlineData("3660d")]
    [InlineData("522w")]
    [InlineData("87840h")]
    [InlineData("5270400min")]
    public void ParseOne_TheLongestAccepted_IsMax(string text)
    {
        var interval = BackupInterval.ParseOne(text);

        Assert.True(interval.Length <= BackupInterval.Max);
        Assert.True(interval.Length > BackupInterval.Max - TimeSpan.FromDays(7));
    }

    [Theory]
    [InlineData("90min", "90min")]
    [InlineData("60min", "1h")]
    [InlineData("120min", "2h")]
    [InlineData("1440min", "1d")]
    [InlineData("24h", "1d")]
    [InlineData("36h", "36h")]
    [InlineData("25h", "25h")]
    [InlineData("5h", "5h")]
    [InlineData("30d", "30d")]
    [InlineData("2w", "14d")]
    [InlineData("1min", "1min")]
    [InlineData("1501min", "1501min")]
    [InlineData("3660d", "3660d")]
    [InlineData("never", "off")]
    [InlineData("-1", "off")]
    public void ToString_IsCanonicalAndParsesBack(string text, string canonical)
    {
        var interval = BackupInterval.ParseOne(text);

        Assert.Equal(canonical, interval.ToString());
        Assert.Equal(interval, BackupInterval.ParseOne(interval.ToString()));
    }

    [Fact]
    public void Equality_SameLengthWrittenDifferently_IsEqual()
    {
        Assert.Equal(BackupInterval.ParseOne("1d"), BackupInterval.ParseOne("24h"));
        Assert.Equal(BackupInterval.ParseOne("1w"), BackupInterval.ParseOne("7d"));
        Assert.Equal(BackupInterval.Of(TimeSpan.FromHours(5)), BackupInterval.ParseOne("300min"));
        Assert.NotEqual(BackupInterval.ParseOne("1d"), BackupInterval.ParseOne("23h"));
        Assert.NotEqual(BackupInterval.Off, BackupInterval.ParseOne("1min"));
    }

    [Fact]
    public void Of_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BackupInterval.Of(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => BackupInterval.Of(TimeSpan.FromMinutes(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BackupInterval.Of(BackupInterval.Max + TimeSpan.FromTicks(1)));
        Assert.Equal(BackupInterval.Max, BackupInterval.Of(BackupInterval.Max).Length);
    }

    [Fact]
    public void Parse_TimeDependent_ValueDependsOnTheWallClock()
    {
        var interval = BackupInterval.Parse("5h;1h@1-5/8-18");

        Assert.Equal(TimeSpan.FromHours(1), interval.ValueAt(At(Mon, 8)).Length);
        Assert.Equal(TimeSpan.FromHours(1), interval.ValueAt(At(Fri, 17, 59)).Length);
        Assert.Equal(TimeSpan.FromHours(5), interval.ValueAt(At(Fri, 18)).Length);
        Assert.Equal(TimeSpan.FromHours(5), interval.ValueAt(At(Sat, 10)).Length);
        Assert.Equal(TimeSpan.FromHours(5), interval.Default.Length);
        Assert.Single(interval.Rules);
    }

    [Fact]
    public void Parse_TimeDependentOff_SwitchesOffInsideTheWindowOnly()
    {
        var interval = BackupInterval.Parse("off;2h@1-5/22-6 ; 30min@6,7/0-24");

        Assert.True(interval.ValueAt(At(Wed, 12)).IsOff);
        Assert.Equal(TimeSpan.FromHours(2), interval.ValueAt(At(Wed, 23)).Length);
        Assert.Equal(TimeSpan.FromHours(2), interval.ValueAt(At(Sat, 5)).Length); // Friday night runs into Saturday
        Assert.Equal(TimeSpan.FromMinutes(30), interval.ValueAt(At(Sat, 12)).Length);
        Assert.Equal(TimeSpan.FromMinutes(30), interval.ValueAt(At(Sun, 23)).Length);
    }

    [Fact]
    public void Parse_OffInsideWorkingHours()
    {
        var interval = BackupInterval.Parse("1h;never@1-5/8-18");

        Assert.True(interval.ValueAt(At(Tue, 9)).IsOff);
        Assert.Equal(TimeSpan.FromHours(1), interval.ValueAt(At(Tue, 19)).Length);
    }

    [Fact]
    public void Parse_PlainText_HasNoRules()
    {
        var interval = BackupInterval.Parse(" 30d ");

        Assert.Empty(interval.Rules);
        Assert.Equal(TimeSpan.FromDays(30), interval.ValueAt(At(Sun, 3)).Length);
    }
}
