using Urb.Domain.Scheduling;
using static Urb.Domain.Tests.Scheduling.Week;

namespace Urb.Domain.Tests.Scheduling;

public sealed class BackupWindowContainsTests
{
    [Fact]
    public void Contains_WeekdayWorkingHours_InsideAndOutside()
    {
        var w = BackupWindow.Parse("1-5/8-19");

        Assert.True(w.Contains(At(Mon, 8)));
        Assert.True(w.Contains(At(Fri, 18, 59, 59)));
        Assert.False(w.Contains(At(Fri, 19)));
        Assert.False(w.Contains(At(Mon, 7, 59)));
        Assert.False(w.Contains(At(Sat, 12)));
        Assert.False(w.Contains(At(Sun, 12)));
    }

    [Fact]
    public void Contains_SeveralWindows_AnyMatches()
    {
        var w = BackupWindow.Parse("1-5/8-19;6,7/0-24");

        Assert.True(w.Contains(At(Wed, 10)));
        Assert.False(w.Contains(At(Wed, 20)));
        Assert.True(w.Contains(At(Sat, 0)));
        Assert.True(w.Contains(At(Sun, 23, 59)));
        Assert.False(w.Contains(At(NextMon, 0)));
    }

    [Theory]
    [InlineData("0/0-24")]
    [InlineData("7/0-24")]
    [InlineData("sun/0-24")]
    [InlineData("Sunday/0-24")]
    [InlineData("SUN/0-24")]
    public void Contains_SundayWrittenAnyWay_OnlySunday(string text)
    {
        var w = BackupWindow.Parse(text);

        Assert.True(w.Contains(At(Sun, 12)));
        Assert.False(w.Contains(At(Sat, 12)));
        Assert.False(w.Contains(At(Mon, 12)));
        Assert.Equal(1440, w.MinutesPerWeek);
    }

    [Theory]
    [InlineData("6-2/0-24")]
    [InlineData("sat-tue/0-24")]
    [InlineData("Saturday-Tuesday/0-24")]
    [InlineData("6-0,1-2/0-24")]
    public void Contains_RangeWrappingTheWeek_SatSunMonTue(string text)
    {
        var w = BackupWindow.Parse(text);

        Assert.True(w.Contains(At(Sat, 1)));
        Assert.True(w.Contains(At(Sun, 1)));
        Assert.True(w.Contains(At(Mon, 1)));
        Assert.True(w.Contains(At(Tue, 1)));
        Assert.False(w.Contains(At(Wed, 1)));
        Assert.False(w.Contains(At(Thu, 1)));
        Assert.False(w.Contains(At(Fri, 1)));
    }

    [Theory]
    [InlineData("0-7/0-24")]
    [InlineData("1-7/0-24")]
    [InlineData("mon-sun/0-24")]
    [InlineData("1,2,3,4,5,6,7/0-24")]
    [InlineData("2-1/0-24")]
    public void Contains_WholeWeekRanges_Always(string text)
    {
        Assert.True(BackupWindow.Parse(text).IsAlways);
    }

    [Theory]
    [InlineData("7-7/0-24", 1440)]
    [InlineData("3-3/0-24", 1440)]
    [InlineData("5-0/0-24", 3 * 1440)]
    [InlineData("7-1/0-24", 2 * 1440)]
    [InlineData("1-5/8-19", 5 * 11 * 60)]
    [InlineData("1/8:00-9:30", 90)]
    [InlineData("1/8-9,8:30-10", 120)]
    [InlineData("1,1,mon/8-9", 60)]
    public void MinutesPerWeek_Forms_CountsEachMinuteOnce(string text, int expected)
    {
        Assert.Equal(expected, BackupWindow.Parse(text).MinutesPerWeek);
    }

    [Fact]
    public void Contains_MinuteBoundaries_EndIsExclusive()
    {
        var w = BackupWindow.Parse("1/8:00-9:30");

        Assert.False(w.Contains(At(Mon, 7, 59, 59)));
        Assert.True(w.Contains(At(Mon, 8, 0)));
        Assert.True(w.Contains(At(Mon, 9, 29)));
        Assert.True(w.Contains(At(Mon, 9, 29, 59)));
        Assert.False(w.Contains(At(Mon, 9, 30)));
    }

    [Fact]
    public void Contains_MinutesOnBothEnds_Honoured()
    {
        var w = BackupWindow.Parse("1/8:15-8:45");

        Assert.False(w.Contains(At(Mon, 8, 14)));
        Assert.True(w.Contains(At(Mon, 8, 15)));
        Assert.True(w.Contains(At(Mon, 8, 44)));
        Assert.False(w.Contains(At(Mon, 8, 45)));
    }

    [Fact]
    public void Contains_ZeroToTwentyFour_WholeDayOnly()
    {
        var w = BackupWindow.Parse("3/0-24");

        Assert.True(w.Contains(At(Wed, 0, 0)));
        Assert.True(w.Contains(At(Wed, 23, 59, 59)));
        Assert.False(w.Contains(At(Thu, 0, 0)));
        Assert.False(w.Contains(At(Tue, 23, 59)));
    }

    [Fact]
    public void Contains_EndAtTwentyFourHundred_RunsToMidnight()
    {
        var w = BackupWindow.Parse("3/22-24:00");

        Assert.True(w.Contains(At(Wed, 23, 59)));
        Assert.False(w.Contains(At(Thu, 0, 0)));
    }

    [Fact]
    public void Contains_MidnightWrap_AfterMidnightBelongsToNextMorning()
    {
        var w = BackupWindow.Parse("1/22-6");

        Assert.False(w.Contains(At(Mon, 21, 59)));
        Assert.True(w.Contains(At(Mon, 22, 0)));
        Assert.True(w.Contains(At(Mon, 23, 0)));
        Assert.True(w.Contains(At(Tue, 0, 0)));
        Assert.True(w.Contains(At(Tue, 5, 59)));
        Assert.False(w.Contains(At(Tue, 6, 0)));
        Assert.False(w.Contains(At(Mon, 5, 0)));
        Assert.False(w.Contains(At(Tue, 23, 0)));
    }

    [Fact]
    public void Contains_MidnightWrapWithSunday_CoversMondayMorning()
    {
        var w = BackupWindow.Parse("7,1/22-6");

        Assert.True(w.Contains(At(Mon, 5, 0)));
        Assert.True(w.Contains(At(Sun, 22, 30)));
        Assert.True(w.Contains(At(Tue, 5, 0)));
        Assert.False(w.Contains(At(Sun, 5, 0)));
    }

    [Fact]
    public void Contains_SundayNightWrap_RunsIntoMonday()
    {
        var w = BackupWindow.Parse("0/23:30-0:30");

        Assert.True(w.Contains(At(Sun, 23, 45)));
        Assert.True(w.Contains(At(NextMon, 0, 29)));
        Assert.False(w.Contains(At(NextMon, 0, 30)));
        Assert.True(w.Contains(At(Mon, 0, 15))); // the window repeats every week
        Assert.Equal(60, w.MinutesPerWeek);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("*")]
    [InlineData(" * ")]
    [InlineData(null)]
    public void Parse_EmptyOrStar_Always(string? text)
    {
        var w = BackupWindow.Parse(text);

        Assert.True(w.IsAlways);
        Assert.True(w.Contains(At(Sun, 3, 33)));
    }

    [Theory]
    [InlineData("  1 - 5 / 8 - 19 ; 6 , 7 / 0 - 24  ")]
    [InlineData("1-5/8-19;6,7/0-24;")]
    [InlineData("1-5/8-19;6,7/0-24 ; ")]
    [InlineData("Mon-Fri/8:00-19:00;sat,SUN/0-24")]
    [InlineData("monday-friday/08-19;SATURDAY,sunday/00:00-24:00")]
    public void Parse_EquivalentSpellings_SameMinutes(string text)
    {
        var expected = BackupWindow.Parse("1-5/8-19;6,7/0-24");
        var actual = BackupWindow.Parse(text);

        Assert.Equal(expected.MinutesPerWeek, actual.MinutesPerWeek);
        for (var day = Mon; day <= Sun; day++)
        {
            for (var minute = 0; minute < 1440; minute += 15)
            {
                var t = At(day, minute / 60, minute % 60);
                Assert.Equal(expected.Contains(t), actual.Contains(t));
            }
        }
    }

    [Fact]
    public void Contains_DateTimeKind_Ignored()
    {
        var w = BackupWindow.Parse("1/8-9");
        var utc = new DateTime(2024, 1, 1, 8, 30, 0, DateTimeKind.Utc);
        var local = new DateTime(2024, 1, 1, 8, 30, 0, DateTimeKind.Local);

        Assert.True(w.Contains(utc));
        Assert.True(w.Contains(local));
    }

    [Fact]
    public void Never_ContainsNothing()
    {
        Assert.False(BackupWindow.Never.Contains(At(Mon, 12)));
        Assert.Equal(0, BackupWindow.Never.MinutesPerWeek);
    }

    [Fact]
    public void ToString_ReturnsTrimmedText()
    {
        Assert.Equal("1-5/8-19", BackupWindow.Parse("  1-5/8-19 ").ToString());
    }
}
