using Urb.Domain.Retention;
using Urb.Domain.Scheduling;
using Urb.Domain.Settings;
using Urb.Domain.Tests.Settings;
using static Urb.Domain.Tests.Scheduling.Week;

namespace Urb.Domain.Tests.Scheduling;

/// <summary>Single decisions in UTC, in the week of Monday 1 January 2024 (see <see cref="Week"/>).</summary>
public sealed class DuePlannerTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static DateTimeOffset T(int dayOfJanuary, int hour, int minute = 0) => new(At(dayOfJanuary, hour, minute), TimeSpan.Zero);

    private static DueDecision Decide(BackupSchedule schedule, LastBackups last, DateTimeOffset now) =>
        DuePlanner.Decide(schedule, last, now, Utc);

    [Fact]
    public void Decide_FirstBackupEver_IsFull()
    {
        var decision = Decide(BackupSchedule.Default, LastBackups.None, T(Wed, 10));

        Assert.True(decision.IsDue);
        Assert.Equal(BackupType.FullFile, decision.Kind);
        Assert.Equal("full file due: no full file backup yet", decision.Reason);
    }

    [Fact]
    public void Decide_FirstBackupEver_FullWindowClosed_IsStillFull()
    {
        var schedule = Schedules.Of(fullWindow: "6,7/0-24");

        var decision = Decide(schedule, LastBackups.None, T(Wed, 10));

        Assert.Equal(BackupType.FullFile, decision.Kind);
        Assert.Equal("incremental file due: no file backup yet; the full backup is due too but full file due: no full file backup yet, "
            + "but outside its window '6,7/0-24'; it opens 2024-01-06 00:00; as the first file backup it is a full one", decision.Reason);
    }

    [Fact]
    public void Decide_FirstBackupEver_FullOff_IsStillFull()
    {
        var decision = Decide(Schedules.Of(full: "off"), LastBackups.None, T(Wed, 10));

        Assert.Equal(BackupType.FullFile, decision.Kind);
        Assert.Equal("incremental file due: no file backup yet; as the first file backup it is a full one", decision.Reason);
    }

    [Fact]
    public void Decide_FirstBackupEver_BothWindowsClosed_WaitsAndSaysWhen()
    {
        var schedule = Schedules.Of(incrementalWindow: "1-5/8-18", fullWindow: "6,7/0-24");

        var decision = Decide(schedule, LastBackups.None, T(Wed, 3));

        Assert.False(decision.IsDue);
        Assert.Null(decision.Kind);
        Assert.Equal("incremental file due: no file backup yet, but outside its window '1-5/8-18'; it opens 2024-01-03 08:00; "
            + "full file due: no full file backup yet, but outside its window '6,7/0-24'; it opens 2024-01-06 00:00", decision.Reason);
    }

    [Fact]
    public void Decide_Incremental_DueOnceItsIntervalHasPassed()
    {
        var last = new LastBackups(T(Wed, 9), T(Mon, 9));

        var before = Decide(BackupSchedule.Default, last, T(Wed, 13, 59));
        var at = Decide(BackupSchedule.Default, last, T(Wed, 14));
        var after = Decide(BackupSchedule.Default, last, T(Thu, 2));

        Assert.Null(before.Kind);
        Assert.Equal("incremental file: next due 2024-01-03 14:00 +00:00 (interval 5h, last file backup 2024-01-03 09:00 +00:00); "
            + "full file: next due 2024-01-31 09:00 +00:00 (interval 30d, last full file backup 2024-01-01 09:00 +00:00)", before.Reason);
        Assert.Equal(BackupType.IncrementalFile, at.Kind);
        Assert.Equal("incremental file due: the last file backup finished 2024-01-03 09:00 +00:00, interval 5h", at.Reason);
        Assert.Equal(BackupType.IncrementalFile, after.Kind);
    }

    [Fact]
    public void Decide_Incremental_CountsFromAFullBackupToo()
    {
        // The incremental is 10 h old, but a full finished 4 h ago: 5 h have not passed since the last file backup.
        var last = new LastBackups(T(Wed, 2), T(Wed, 8));

        var decision = Decide(BackupSchedule.Default, last, T(Wed, 12));

        Assert.Null(decision.Kind);
        Assert.Contains("incremental file: next due 2024-01-03 13:00 +00:00 (interval 5h, last file backup 2024-01-03 08:00 +00:00)", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalFile, Decide(BackupSchedule.Default, last, T(Wed, 13)).Kind);
    }

    [Fact]
    public void Decide_Incremental_OnlyFullsSoFar_CountsFromTheFull()
    {
        var last = new LastBackups(null, T(Wed, 8));

        Assert.Null(Decide(BackupSchedule.Default, last, T(Wed, 12, 59)).Kind);
        var decision = Decide(BackupSchedule.Default, last, T(Wed, 13));
        Assert.Equal(BackupType.IncrementalFile, decision.Kind);
        Assert.Equal("incremental file due: the last file backup finished 2024-01-03 08:00 +00:00, interval 5h", decision.Reason);
    }

    [Fact]
    public void Decide_Full_DueOnceItsIntervalHasPassed_EvenRightAfterAnIncremental()
    {
        var schedule = Schedules.Of(full: "7d");
        var last = new LastBackups(T(Mon, 23, 59), T(Mon, 0));

        var before = Decide(schedule, last with { Incremental = T(NextMon - 1, 23, 58) }, T(NextMon - 1, 23, 59));
        var at = Decide(schedule, last with { Incremental = T(NextMon - 1, 23, 59) }, T(NextMon, 0));

        Assert.Null(before.Kind);
        Assert.Contains("full file: next due 2024-01-08 00:00 +00:00 (interval 7d, last full file backup 2024-01-01 00:00 +00:00)", before.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.FullFile, at.Kind);
        Assert.Equal("full file due: the last full file backup finished 2024-01-01 00:00 +00:00, interval 7d", at.Reason);
    }

    [Fact]
    public void Decide_BothDueInTheirWindows_FullTakesThePlaceOfTheIncremental()
    {
        var last = new LastBackups(T(Mon, 0), T(Mon, 0));

        var decision = Decide(Schedules.Of(full: "1d"), last, T(Wed, 0));

        Assert.Equal(BackupType.FullFile, decision.Kind);
        Assert.DoesNotContain("incremental", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FullDueOutsideItsWindow_IncrementalInside_RunsTheIncrementalAndSaysWhy()
    {
        var schedule = Schedules.Of(full: "1d", fullWindow: "6,7/0-24");
        var last = new LastBackups(T(Wed, 6), T(Mon, 12));

        var decision = Decide(schedule, last, T(Wed, 12));

        Assert.Equal(BackupType.IncrementalFile, decision.Kind);
        Assert.Equal("incremental file due: the last file backup finished 2024-01-03 06:00 +00:00, interval 5h; "
            + "the full backup is due too but full file due: the last full file backup finished 2024-01-01 12:00 +00:00, interval 1d, "
            + "but outside its window '6,7/0-24'; it opens 2024-01-06 00:00", decision.Reason);
        Assert.Equal(BackupType.FullFile, Decide(schedule, last with { Incremental = T(Fri, 23) }, T(Sat, 0)).Kind);
    }

    [Fact]
    public void Decide_FullDueOutsideItsWindow_IncrementalNotDue_Waits()
    {
        var schedule = Schedules.Of(full: "1d", fullWindow: "6,7/0-24");
        var last = new LastBackups(T(Wed, 10), T(Mon, 12));

        var decision = Decide(schedule, last, T(Wed, 12));

        Assert.Null(decision.Kind);
        Assert.Equal("incremental file: next due 2024-01-03 15:00 +00:00 (interval 5h, last file backup 2024-01-03 10:00 +00:00); "
            + "full file due: the last full file backup finished 2024-01-01 12:00 +00:00, interval 1d, but outside its window '6,7/0-24'; it opens 2024-01-06 00:00",
            decision.Reason);
    }

    [Fact]
    public void Decide_IncrementalDueOutsideItsWindow_FullNotDue_Waits()
    {
        var schedule = Schedules.Of(incrementalWindow: "1-5/8-18");
        var last = new LastBackups(T(Fri, 10), T(Mon, 12));

        var decision = Decide(schedule, last, T(Sat, 12));

        Assert.Null(decision.Kind);
        Assert.StartsWith("incremental file due: the last file backup finished 2024-01-05 10:00 +00:00, interval 5h, but outside its window '1-5/8-18'; it opens 2024-01-08 08:00; ",
            decision.Reason, StringComparison.Ordinal);
        Assert.EndsWith("full file: next due 2024-01-31 12:00 +00:00 (interval 30d, last full file backup 2024-01-01 12:00 +00:00)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_BothDueBothOutside_WaitsAndNamesBothWindows()
    {
        var schedule = Schedules.Of(full: "7d", incrementalWindow: "1-5/8-18", fullWindow: "7/1-5");
        var last = new LastBackups(T(Fri, 10), T(Mon, 0));

        var decision = Decide(schedule, last, T(NextMon, 6));

        Assert.Null(decision.Kind);
        Assert.Contains("outside its window '1-5/8-18'; it opens 2024-01-08 08:00", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("outside its window '7/1-5'; it opens 2024-01-14 01:00", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("off", "off")]
    [InlineData("never", "-1")]
    [InlineData("-1", "off")]
    public void Decide_BothOff_NeverDue(string incremental, string full)
    {
        var schedule = Schedules.Of(incremental, full);
        var histories = new[] { LastBackups.None, new LastBackups(T(Mon, 0), null), new LastBackups(T(Mon, 0), T(Mon, 0)) };

        foreach (var last in histories)
        {
            for (var hour = 0; hour < 7 * 24; hour += 5)
            {
                var decision = Decide(schedule, last, T(Mon, 0).AddDays(30).AddHours(hour));
                Assert.Null(decision.Kind);
                Assert.Equal("scheduled file backups are off (incremental and full intervals are 'off')", decision.Reason);
            }
        }
    }

    [Fact]
    public void Decide_IncrementalOff_OnlyFullsAreScheduled()
    {
        var schedule = Schedules.Of(incremental: "off", full: "7d");
        var last = new LastBackups(null, T(Mon, 12));

        var waiting = Decide(schedule, last, T(Thu, 12));
        var due = Decide(schedule, last, T(NextMon, 12));

        Assert.Null(waiting.Kind);
        Assert.Equal("incremental file: switched off; full file: next due 2024-01-08 12:00 +00:00 (interval 7d, last full file backup 2024-01-01 12:00 +00:00)", waiting.Reason);
        Assert.Equal(BackupType.FullFile, due.Kind);
        Assert.Equal(BackupType.FullFile, Decide(schedule, LastBackups.None, T(Thu, 12)).Kind);
    }

    [Fact]
    public void Decide_IncrementalOff_FullOutsideItsWindow_Waits()
    {
        var schedule = Schedules.Of(incremental: "off", full: "7d", fullWindow: "6,7/0-24");

        var decision = Decide(schedule, new LastBackups(null, T(Mon, 12)), T(NextMon + 1, 12));

        Assert.Null(decision.Kind);
        Assert.StartsWith("incremental file: switched off; full file due:", decision.Reason, StringComparison.Ordinal);
        Assert.EndsWith("but outside its window '6,7/0-24'; it opens 2024-01-13 00:00", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FullOff_OnlyIncrementalsAfterTheFirst()
    {
        var schedule = Schedules.Of(full: "off");
        var last = new LastBackups(T(Wed, 6), T(Mon, 0).AddDays(-400));

        var due = Decide(schedule, last, T(Wed, 11));
        var waiting = Decide(schedule, last, T(Wed, 10));

        Assert.Equal(BackupType.IncrementalFile, due.Kind);
        Assert.Equal("incremental file due: the last file backup finished 2024-01-03 06:00 +00:00, interval 5h", due.Reason);
        Assert.Null(waiting.Kind);
        Assert.EndsWith("; full file: switched off", waiting.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TimeDependentInterval_IsReadAtTheTimeOfTheDecision()
    {
        var schedule = Schedules.Of(incremental: "5h;1h@1-5/8-18");
        var full = T(Mon, 0);

        // Inside working hours the interval is 1 h.
        var working = Decide(schedule, new LastBackups(T(Fri, 16, 30), full), T(Fri, 17, 30));
        // The backup at 17:45 ran under 1 h, but at 18:45 the interval is 5 h again.
        var evening = Decide(schedule, new LastBackups(T(Fri, 17, 45), full), T(Fri, 18, 45));
        var night = Decide(schedule, new LastBackups(T(Fri, 17, 45), full), T(Fri, 22, 45));
        // And the other way: a backup from 06:00 is only 2 h old at 08:00, but the interval is 1 h by then.
        var morning = Decide(schedule, new LastBackups(T(Thu, 6), full), T(Thu, 8));

        Assert.Equal(BackupType.IncrementalFile, working.Kind);
        Assert.Contains("interval 1h", working.Reason, StringComparison.Ordinal);
        Assert.Null(evening.Kind);
        Assert.Contains("next due 2024-01-05 22:45 +00:00 (interval 5h, last file backup 2024-01-05 17:45 +00:00)", evening.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalFile, night.Kind);
        Assert.Contains("interval 5h", night.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalFile, morning.Kind);
        Assert.Contains("interval 1h", morning.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TimeDependentOff_OffOutsideTheRule()
    {
        var schedule = Schedules.Of(incremental: "off;1h@1-5/8-18", full: "off");
        var last = new LastBackups(T(Fri, 9), T(Mon, 9));

        var weekend = Decide(schedule, last, T(Sat, 12));
        var monday = Decide(schedule, last, T(NextMon, 9));

        Assert.Null(weekend.Kind);
        Assert.Equal("scheduled file backups are off (incremental and full intervals are 'off')", weekend.Reason);
        Assert.Equal(BackupType.IncrementalFile, monday.Kind);
        Assert.Contains("interval 1h", monday.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TimeDependentFullInterval_IsReadAtTheTimeOfTheDecision()
    {
        // Fulls every 2 days at the weekend, otherwise every 14 days.
        var schedule = Schedules.Of(full: "14d;2d@6,7/0-24");
        var last = new LastBackups(T(Fri, 12), T(Wed, 12));

        var friday = Decide(schedule, last, T(Fri, 13));
        var saturday = Decide(schedule, last, T(Sat, 0));

        Assert.Null(friday.Kind);
        Assert.Contains("full file: next due 2024-01-17 12:00 +00:00 (interval 14d, last full file backup 2024-01-03 12:00 +00:00)", friday.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.FullFile, saturday.Kind);
        Assert.Equal("full file due: the last full file backup finished 2024-01-03 12:00 +00:00, interval 2d", saturday.Reason);
    }

    [Fact]
    public void Decide_WindowThatWrapsMidnight_OpensInTheEveningAndClosesInTheMorning()
    {
        var schedule = Schedules.Of(incremental: "1h", incrementalWindow: "1-7/22-6");
        var full = T(Mon, 0);

        LastBackups Last(DateTimeOffset now) => new(now.AddHours(-3), full);

        var evening = Decide(schedule, Last(T(Wed, 21, 59)), T(Wed, 21, 59));
        Assert.Null(evening.Kind);
        Assert.EndsWith("but outside its window '1-7/22-6'; it opens 2024-01-03 22:00; "
            + "full file: next due 2024-01-31 00:00 +00:00 (interval 30d, last full file backup 2024-01-01 00:00 +00:00)", evening.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalFile, Decide(schedule, Last(T(Wed, 22)), T(Wed, 22)).Kind);
        Assert.Equal(BackupType.IncrementalFile, Decide(schedule, Last(T(Thu, 0)), T(Thu, 0)).Kind);
        Assert.Equal(BackupType.IncrementalFile, Decide(schedule, Last(T(Thu, 5, 59)), T(Thu, 5, 59)).Kind);
        var morning = Decide(schedule, Last(T(Thu, 6)), T(Thu, 6));
        Assert.Null(morning.Kind);
        Assert.Contains("it opens 2024-01-04 22:00", morning.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SundayNightWindow_RunsIntoMonday()
    {
        var schedule = Schedules.Of(incremental: "1h", incrementalWindow: "7/22-6");
        var last = new LastBackups(T(Mon, 0).AddDays(-2), T(Mon, 0).AddDays(-2));

        Assert.Equal(BackupType.IncrementalFile, Decide(schedule, last, T(Mon, 3)).Kind);
        Assert.Equal(BackupType.IncrementalFile, Decide(schedule, last, T(Sun, 23)).Kind);
        var mondayEvening = Decide(schedule, last, T(Mon, 22));
        Assert.Null(mondayEvening.Kind);
        Assert.Contains("outside its window '7/22-6'; it opens 2024-01-07 22:00", mondayEvening.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_WindowsAreWallClockInTheGivenZone()
    {
        var schedule = Schedules.Of(incrementalWindow: "1-5/8-18");
        var last = new LastBackups(T(Mon, 0), T(Mon, 0));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // 07:30 UTC is 08:30 in Berlin (inside) and 02:30 in New York (outside).
        Assert.Equal(BackupType.IncrementalFile, DuePlanner.Decide(schedule, last, T(Wed, 7, 30), berlin).Kind);
        Assert.Null(DuePlanner.Decide(schedule, last, T(Wed, 7, 30), newYork).Kind);
        Assert.Null(DuePlanner.Decide(schedule, last, T(Wed, 7, 30), Utc).Kind);
        // Saturday 01:00 UTC is still Friday 20:00 in New York: outside the hours, not the days.
        var friday = DuePlanner.Decide(schedule, last, T(Sat, 1), newYork);
        Assert.Null(friday.Kind);
        Assert.Contains("it opens 2024-01-08 08:00", friday.Reason, StringComparison.Ordinal);
        Assert.Contains("finished 2023-12-31 19:00 -05:00", friday.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_LastBackupInTheFuture_IsNotDue()
    {
        var last = new LastBackups(T(Wed, 12), T(Wed, 12));

        var decision = Decide(BackupSchedule.Default, last, T(Wed, 10));

        Assert.Null(decision.Kind);
        Assert.Contains("incremental file: next due 2024-01-03 17:00 +00:00", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DuePlanner.Decide(null!, LastBackups.None, T(Mon, 0), Utc));
        Assert.Throws<ArgumentNullException>(() => DuePlanner.Decide(BackupSchedule.Default, null!, T(Mon, 0), Utc));
        Assert.Throws<ArgumentNullException>(() => DuePlanner.Decide(BackupSchedule.Default, LastBackups.None, T(Mon, 0), null!));
    }

    [Fact]
    public void LastBackups_Any_IsTheNewerOfBoth()
    {
        Assert.Null(LastBackups.None.Any);
        Assert.Equal(T(Tue, 1), new LastBackups(T(Tue, 1), null).Any);
        Assert.Equal(T(Tue, 2), new LastBackups(null, T(Tue, 2)).Any);
        Assert.Equal(T(Wed, 0), new LastBackups(T(Wed, 0), T(Tue, 0)).Any);
        Assert.Equal(T(Wed, 0), new LastBackups(T(Tue, 0), T(Wed, 0)).Any);
        Assert.Equal(T(Wed, 0), new LastBackups(T(Wed, 0), T(Wed, 0)).Any);
    }

    [Fact]
    public void DueDecision_IsDue_FollowsTheKind()
    {
        Assert.True(new DueDecision(BackupType.IncrementalFile, "r").IsDue);
        Assert.False(new DueDecision(null, "r").IsDue);
    }

    [Fact]
    public void BackupSchedule_Default_IsUrBackupsFileSchedule()
    {
        var schedule = BackupSchedule.Default;

        Assert.Equal(TimeSpan.FromHours(5), schedule.IncrementalInterval.ValueAt(At(Mon, 0)).Length);
        Assert.Equal(TimeSpan.FromDays(30), schedule.FullInterval.ValueAt(At(Mon, 0)).Length);
        Assert.True(schedule.IncrementalWindow.IsAlways);
        Assert.True(schedule.FullWindow.IsAlways);
    }

    [Fact]
    public void BackupSchedule_From_DefaultSettings_IsTheDefault()
    {
        var none = new Dictionary<string, SettingValue>();

        var schedule = BackupSchedule.From(EffectiveSettings.Resolve(none, none, none));

        Assert.Equal(BackupInterval.ParseOne("5h"), schedule.IncrementalInterval.ValueAt(At(Wed, 12)));
        Assert.Equal(BackupInterval.ParseOne("30d"), schedule.FullInterval.ValueAt(At(Wed, 12)));
        Assert.True(schedule.IncrementalWindow.IsAlways);
        Assert.True(schedule.FullWindow.IsAlways);
    }

    [Fact]
    public void BackupSchedule_From_TakesEachLayersValue()
    {
        var global = Layers.Of((SettingCatalog.IncrementalFileInterval, "2h"), (SettingCatalog.FullFileWindow, "6,7/0-24"));
        var client = Layers.Of((SettingCatalog.IncrementalFileInterval, "5h;1h@1-5/8-18"), (SettingCatalog.FullFileInterval, "off"),
            (SettingCatalog.IncrementalFileWindow, "1-5/8-19"));

        var schedule = BackupSchedule.From(EffectiveSettings.Resolve(global, new Dictionary<string, SettingValue>(), client));

        Assert.Equal(TimeSpan.FromHours(1), schedule.IncrementalInterval.ValueAt(At(Tue, 9)).Length);
        Assert.Equal(TimeSpan.FromHours(5), schedule.IncrementalInterval.ValueAt(At(Sat, 9)).Length);
        Assert.True(schedule.FullInterval.ValueAt(At(Tue, 9)).IsOff);
        Assert.Equal("1-5/8-19", schedule.IncrementalWindow.Text);
        Assert.True(schedule.FullWindow.Contains(At(Sun, 3)));
        Assert.False(schedule.FullWindow.Contains(At(Fri, 3)));
        Assert.Throws<ArgumentNullException>(() => BackupSchedule.From(null!));
    }
}
