using Microsoft.Extensions.Time.Testing;
using Urb.Domain.Retention;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Tests.Scheduling;

/// <summary>The planner across month ends, a year end and DST changes, and driven by a clock for weeks.</summary>
public sealed class DuePlannerCalendarTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>Berlin wall-clock time with its offset then (+01:00 in winter, +02:00 in summer).</summary>
    private static DateTimeOffset InBerlin(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Berlin.GetUtcOffset(local));
    }

    [Fact]
    public void Decide_FullIntervalAcrossTheEndOfFebruaryInALeapYear()
    {
        var schedule = Schedules.Of(incremental: "off", full: "30d");
        var last = new LastBackups(null, Utc(2024, 1, 31, 23));

        var before = DuePlanner.Decide(schedule, last, Utc(2024, 3, 1, 22, 59), TimeZoneInfo.Utc);
        var due = DuePlanner.Decide(schedule, last, Utc(2024, 3, 1, 23), TimeZoneInfo.Utc);

        Assert.Null(before.Kind);
        Assert.Contains("full file: next due 2024-03-01 23:00 +00:00 (interval 30d, last full file backup 2024-01-31 23:00 +00:00)", before.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.FullFile, due.Kind);
    }

    [Theory]
    [InlineData(2023, 2, 28, 3, 1)]
    [InlineData(2024, 2, 28, 2, 29)]
    [InlineData(2024, 4, 30, 5, 1)]
    [InlineData(2024, 1, 31, 2, 1)]
    public void Decide_DailyIncrementalAcrossAMonthEnd(int year, int month, int day, int nextMonth, int nextDay)
    {
        var schedule = Schedules.Of(incremental: "1d", full: "off");
        var last = new LastBackups(Utc(year, month, day, 12), Utc(year, 1, 1, 0));

        var before = DuePlanner.Decide(schedule, last, Utc(year, nextMonth, nextDay, 11, 59), TimeZoneInfo.Utc);
        var due = DuePlanner.Decide(schedule, last, Utc(year, nextMonth, nextDay, 12), TimeZoneInfo.Utc);

        Assert.Null(before.Kind);
        Assert.Contains($"next due {year:D4}-{nextMonth:D2}-{nextDay:D2} 12:00 +00:00", before.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalFile, due.Kind);
    }

    [Fact]
    public void Decide_AcrossTheYearEnd()
    {
        var schedule = Schedules.Of(incremental: "5h", full: "365d");
        var last = new LastBackups(Utc(2024, 12, 31, 22), Utc(2024, 1, 1, 3));

        var before = DuePlanner.Decide(schedule, last, Utc(2025, 1, 1, 2, 59), TimeZoneInfo.Utc);
        var incremental = DuePlanner.Decide(schedule, last, Utc(2025, 1, 1, 3), TimeZoneInfo.Utc);

        // 2024 has 366 days: the full from 1 January 2024 was due on 31 December 2024.
        Assert.Equal(BackupType.FullFile, before.Kind);
        Assert.Equal("full file due: the last full file backup finished 2024-01-01 03:00 +00:00, interval 365d", before.Reason);
        var afterFull = last with { Full = Utc(2024, 12, 31, 23) };
        var waiting = DuePlanner.Decide(schedule, afterFull, Utc(2025, 1, 1, 2, 59), TimeZoneInfo.Utc);
        Assert.Null(waiting.Kind);
        Assert.Equal("incremental file: next due 2025-01-01 04:00 +00:00 (interval 5h, last file backup 2024-12-31 23:00 +00:00); "
            + "full file: next due 2025-12-31 23:00 +00:00 (interval 365d, last full file backup 2024-12-31 23:00 +00:00)", waiting.Reason);
        Assert.Equal(BackupType.FullFile, incremental.Kind);
    }

    [Fact]
    public void Decide_NightWindowAcrossTheYearEnd()
    {
        // 31 December 2024 is a Tuesday: its night runs into Wednesday 1 January 2025.
        var schedule = Schedules.Of(incremental: "1h", full: "off", incrementalWindow: "2/22-6");
        var last = new LastBackups(Utc(2024, 12, 31, 12), Utc(2024, 12, 1, 0));

        Assert.Null(DuePlanner.Decide(schedule, last, Utc(2024, 12, 31, 21, 59), TimeZoneInfo.Utc).Kind);
        Assert.Equal(BackupType.IncrementalFile, DuePlanner.Decide(schedule, last, Utc(2024, 12, 31, 22), TimeZoneInfo.Utc).Kind);
        Assert.Equal(BackupType.IncrementalFile, DuePlanner.Decide(schedule, last, Utc(2025, 1, 1, 5, 59), TimeZoneInfo.Utc).Kind);
        var closed = DuePlanner.Decide(schedule, last, Utc(2025, 1, 1, 6), TimeZoneInfo.Utc);
        Assert.Null(closed.Kind);
        Assert.Contains("outside its window '2/22-6'; it opens 2025-01-07 22:00", closed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SpringForward_IntervalIsElapsedTimeAndReasonShowsBothOffsets()
    {
        // 31 March 2024 in Berlin: 02:00 CET becomes 03:00 CEST. 5 h after 23:30 CET is 05:30 CEST.
        var last = new LastBackups(InBerlin(2024, 3, 30, 23, 30), InBerlin(2024, 3, 20, 12));

        var before = DuePlanner.Decide(BackupSchedule.Default, last, InBerlin(2024, 3, 31, 5, 29), Berlin);
        var due = DuePlanner.Decide(BackupSchedule.Default, last, InBerlin(2024, 3, 31, 5, 30), Berlin);

        Assert.Null(before.Kind);
        Assert.Contains("incremental file: next due 2024-03-31 05:30 +02:00 (interval 5h, last file backup 2024-03-30 23:30 +01:00)", before.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalFile, due.Kind);
        Assert.Equal("incremental file due: the last file backup finished 2024-03-30 23:30 +01:00, interval 5h", due.Reason);
        Assert.Equal(Utc(2024, 3, 31, 3, 30), InBerlin(2024, 3, 31, 5, 30));
    }

    [Fact]
    public void Decide_FallBack_RepeatedHourCountsElapsedTime()
    {
        // 27 October 2024 in Berlin: 03:00 CEST becomes 02:00 CET; 02:30 comes twice.
        var schedule = Schedules.Of(incremental: "1h", full: "off");
        var last = new LastBackups(Utc(2024, 10, 27, 0, 30), Utc(2024, 10, 1, 0)); // the first 02:30 (CEST)

        var secondTwo = DuePlanner.Decide(schedule, last, Utc(2024, 10, 27, 1), Berlin); // 02:00 CET
        var secondHalfPast = DuePlanner.Decide(schedule, last, Utc(2024, 10, 27, 1, 30), Berlin); // 02:30 CET

        Assert.Null(secondTwo.Kind);
        Assert.Contains("next due 2024-10-27 02:30 +01:00 (interval 1h, last file backup 2024-10-27 02:30 +02:00)", secondTwo.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalFile, secondHalfPast.Kind);
        Assert.Equal("incremental file due: the last file backup finished 2024-10-27 02:30 +02:00, interval 1h", secondHalfPast.Reason);
    }

    [Theory]
    [InlineData(3, 31, 0)] // 02:00–03:00 is skipped: the window never opens
    [InlineData(10, 27, 2)] // 02:00–03:00 comes twice: two hours inside
    [InlineData(10, 20, 1)] // an ordinary Sunday
    public void Clock_SundayWindowOverADstChange_RunsAsOftenAsTheWallClockIsInside(int month, int day, int expected)
    {
        var clock = new FakeTimeProvider(InBerlin(2024, month, day - 1, 12));
        clock.SetLocalTimeZone(Berlin);
        var schedule = Schedules.Of(incremental: "1h", full: "off", incrementalWindow: "7/2-3");
        var last = new LastBackups(InBerlin(2024, month, day - 1, 11), InBerlin(2024, month, 1, 0));
        var runs = new List<DateTimeOffset>();

        while (clock.GetUtcNow() < InBerlin(2024, month, day, 12))
        {
            var decision = DuePlanner.Decide(schedule, last, clock.GetUtcNow(), clock.LocalTimeZone);
            if (decision.IsDue)
            {
                Assert.Equal(BackupType.IncrementalFile, decision.Kind);
                runs.Add(clock.GetUtcNow());
                last = last with { Incremental = clock.GetUtcNow() };
            }
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal(expected, runs.Count);
        Assert.All(runs, r => Assert.Equal(2, TimeZoneInfo.ConvertTime(r, Berlin).Hour));
    }

    [Fact]
    public void Decide_SpringForward_WindowInTheSkippedHour_OpensAWeekLater()
    {
        var schedule = Schedules.Of(incremental: "1h", full: "off", incrementalWindow: "7/2-3");
        var last = new LastBackups(InBerlin(2024, 3, 30, 12), InBerlin(2024, 3, 1, 0));

        var decision = DuePlanner.Decide(schedule, last, InBerlin(2024, 3, 31, 1, 59), Berlin);

        Assert.Null(decision.Kind);
        Assert.Contains("outside its window '7/2-3'; it opens 2024-04-07 02:00", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SpringForward_WindowThatStartsInTheSkippedHour_OpensAfterIt()
    {
        var schedule = Schedules.Of(incremental: "1h", full: "off", incrementalWindow: "7/2:30-4");
        var last = new LastBackups(InBerlin(2024, 3, 30, 12), InBerlin(2024, 3, 1, 0));

        var waiting = DuePlanner.Decide(schedule, last, InBerlin(2024, 3, 31, 1, 59), Berlin);
        var open = DuePlanner.Decide(schedule, last, Utc(2024, 3, 31, 1), Berlin); // 03:00 CEST

        Assert.Contains("it opens 2024-03-31 03:00", waiting.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalFile, open.Kind);
    }

    [Fact]
    public void Clock_DefaultScheduleForNineWeeks_FullsEveryThirtyDaysIncrementalsEveryFiveHours()
    {
        var start = Utc(2024, 1, 1, 0);
        var clock = new FakeTimeProvider(start);
        var last = LastBackups.None;
        var runs = new List<(DateTimeOffset At, BackupType Kind)>();

        while (clock.GetUtcNow() < start.AddDays(65))
        {
            var decision = DuePlanner.Decide(BackupSchedule.Default, last, clock.GetUtcNow(), TimeZoneInfo.Utc);
            if (decision.Kind is { } kind)
            {
                runs.Add((clock.GetUtcNow(), kind));
                last = kind == BackupType.FullFile ? last with { Full = clock.GetUtcNow() } : last with { Incremental = clock.GetUtcNow() };
            }
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal([start, start.AddDays(30), start.AddDays(60)], runs.Where(r => r.Kind == BackupType.FullFile).Select(r => r.At));
        Assert.Equal(65 * 24 / 5, runs.Count);
        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.Equal(TimeSpan.FromHours(5), pair.Second.At - pair.First.At));
    }

    [Fact]
    public void Clock_BerlinWeekdayIncrementalsWeekendFulls_OverTheSpringDstChange()
    {
        // Monday 18 March to Monday 8 April 2024: DST starts on Sunday 31 March.
        var clock = new FakeTimeProvider(InBerlin(2024, 3, 18, 0));
        clock.SetLocalTimeZone(Berlin);
        var schedule = Schedules.Of(incremental: "1h", full: "7d", incrementalWindow: "1-5/8-18", fullWindow: "6,7/0-24");
        var last = LastBackups.None;
        var runs = new List<(DateTimeOffset At, DueDecision Decision)>();

        while (clock.GetUtcNow() < InBerlin(2024, 4, 8, 0))
        {
            var decision = DuePlanner.Decide(schedule, last, clock.GetUtcNow(), clock.LocalTimeZone);
            if (decision.Kind is { } kind)
            {
                runs.Add((clock.GetUtcNow(), decision));
                last = kind == BackupType.FullFile ? last with { Full = clock.GetUtcNow() } : last with { Incremental = clock.GetUtcNow() };
            }
            clock.Advance(TimeSpan.FromMinutes(15));
        }

        var fulls = runs.Where(r => r.Decision.Kind == BackupType.FullFile).Select(r => r.At).ToList();
        var incrementals = runs.Where(r => r.Decision.Kind == BackupType.IncrementalFile).ToList();
        // The first backup is full, on Monday morning in the incremental window; the next full is due a week later
        // but waits for Saturday; 7 × 24 h after Saturday 00:00 CET is Saturday 01:00 CEST.
        Assert.Equal([InBerlin(2024, 3, 18, 8), InBerlin(2024, 3, 30, 0), InBerlin(2024, 4, 6, 1)], fulls);
        Assert.Equal(9 + 10 * 4 + 10 * 5 + 10 * 5, incrementals.Count);
        Assert.All(incrementals, r =>
        {
            var local = TimeZoneInfo.ConvertTime(r.At, Berlin);
            Assert.InRange(local.Hour, 8, 17);
            Assert.Equal(0, local.Minute);
            Assert.InRange((int)local.DayOfWeek, 1, 5);
        });
        var monday = incrementals.Single(r => r.At == InBerlin(2024, 3, 25, 8)).Decision;
        Assert.Contains("the full backup is due too but full file due: the last full file backup finished 2024-03-18 08:00 +01:00, interval 7d, "
            + "but outside its window '6,7/0-24'; it opens 2024-03-30 00:00", monday.Reason, StringComparison.Ordinal);
    }
}
