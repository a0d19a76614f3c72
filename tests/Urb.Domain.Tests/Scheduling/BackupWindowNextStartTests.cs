using Urb.Domain.Scheduling;
using static Urb.Domain.Tests.Scheduling.Week;

namespace Urb.Domain.Tests.Scheduling;

public sealed class BackupWindowNextStartTests
{
    [Fact]
    public void NextStart_InsideWindow_ReturnsTheTimeItself()
    {
        var t = At(Mon, 10, 15, 42);

        Assert.Equal(t, BackupWindow.Parse("1-5/8-19").NextStart(t));
    }

    [Fact]
    public void NextStart_BeforeWindowSameDay_ReturnsStart()
    {
        Assert.Equal(At(Mon, 8), BackupWindow.Parse("1-5/8-19").NextStart(At(Mon, 6, 30)));
    }

    [Fact]
    public void NextStart_SecondsIntoMinuteBefore_ReturnsWholeMinute()
    {
        Assert.Equal(At(Mon, 8), BackupWindow.Parse("1/8-9").NextStart(At(Mon, 7, 59, 30)));
    }

    [Fact]
    public void NextStart_AfterWindow_NextDay()
    {
        Assert.Equal(At(Tue, 8), BackupWindow.Parse("1-5/8-19").NextStart(At(Mon, 19)));
    }

    [Fact]
    public void NextStart_FridayEvening_NextMonday()
    {
        Assert.Equal(At(NextMon, 8), BackupWindow.Parse("1-5/8-19").NextStart(At(Fri, 19)));
    }

    [Fact]
    public void NextStart_SundayOnlyWindowFromMonday_SixDaysAhead()
    {
        Assert.Equal(At(Sun, 2), BackupWindow.Parse("0/2-3").NextStart(At(Mon, 12)));
    }

    [Fact]
    public void NextStart_JustAfterWeeklyWindow_AlmostSevenDaysAhead()
    {
        var next = BackupWindow.Parse("1/8-9").NextStart(At(Mon, 9));

        Assert.Equal(At(NextMon, 8), next);
    }

    [Fact]
    public void NextStart_MidnightWrap_AcrossTheWeekEnd()
    {
        var w = BackupWindow.Parse("sun/22-6");

        Assert.Equal(At(Sun, 22), w.NextStart(At(Sat, 23)));
        Assert.Equal(At(NextMon, 3), w.NextStart(At(NextMon, 3)));
        Assert.Equal(At(Sun, 22), w.NextStart(At(Mon, 6)));
    }

    [Fact]
    public void NextStart_AcrossMonthAndYear_Works()
    {
        var w = BackupWindow.Parse("mon/1-2");

        Assert.Equal(new DateTime(2024, 1, 1, 1, 0, 0), w.NextStart(new DateTime(2023, 12, 31, 12, 0, 0)));
    }

    [Fact]
    public void NextStart_Always_ReturnsTheTime()
    {
        var t = At(Wed, 3, 3, 3);

        Assert.Equal(t, BackupWindow.Always.NextStart(t));
    }

    [Fact]
    public void NextStart_EmptyWindow_Null()
    {
        Assert.Null(BackupWindow.Never.NextStart(At(Mon, 0)));
    }

    [Fact]
    public void NextStart_NearMaxValue_NullInsteadOfOverflow()
    {
        Assert.Null(BackupWindow.Parse("1/8-9").NextStart(DateTime.MaxValue.AddMinutes(-3)));
    }

    [Fact]
    public void NextStart_Result_IsAlwaysContained()
    {
        var w = BackupWindow.Parse("2,4/7:45-8:10,22-1;6/13:07-13:08");
        for (var minute = 0; minute < 7 * 1440; minute += 37)
        {
            var t = At(Mon, 0).AddMinutes(minute);
            var next = w.NextStart(t);

            Assert.NotNull(next);
            Assert.True(w.Contains(next.Value));
            Assert.True(next.Value >= t);
            Assert.True(next.Value - t < TimeSpan.FromDays(7));
        }
    }
}
