using Urb.Domain.Errors;
using Urb.Domain.Retention;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

public sealed class GfsSelectorTests
{
    private static BackupRecord At(string utc) => One(BackupType.IncrementalFile, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

    private static IReadOnlyDictionary<Guid, IReadOnlyList<string>> Select(IEnumerable<BackupRecord> backups, int daily = 0, int weekly = 0, int monthly = 0, int yearly = 0, TimeZoneInfo? zone = null) =>
        GfsSelector.Select(backups, new GfsRule(daily, weekly, monthly, yearly), zone ?? TimeZoneInfo.Utc);

    [Fact]
    public void Select_NoBackups_KeepsNothing()
    {
        Assert.Empty(Select([], daily: 7));
    }

    [Fact]
    public void Select_Daily_NewestOfEachOfTheLastDays()
    {
        var backups = Series(BackupType.IncrementalFile, 15, stepHours: 8); // three a day for five days

        var kept = Select(backups, daily: 3);

        Assert.Equal(new[] { backups[14], backups[11], backups[8] }.Select(b => b.Id).Order(), kept.Keys.Order());
        Assert.Equal(["day 2024-01-05"], kept[backups[14].Id]);
    }

    [Fact]
    public void Select_DaysWithoutBackups_DoNotCount()
    {
        var backups = new[] { At("2024-01-01T12:00Z"), At("2024-01-05T12:00Z"), At("2024-01-09T12:00Z") };

        var kept = Select(backups, daily: 2);

        Assert.Equal(new[] { backups[1].Id, backups[2].Id }.Order(), kept.Keys.Order());
    }

    [Fact]
    public void Select_OneBackupForSeveralKinds_ListsEveryPeriod()
    {
        var backup = At("2024-03-31T12:00Z");

        var kept = Select([backup], daily: 1, weekly: 1, monthly: 1, yearly: 1);

        Assert.Equal(["day 2024-03-31", "week 2024-W13", "month 2024-03", "year 2024"], kept[backup.Id]);
    }

    [Theory]
    [InlineData(1, 0, 0, 0)]
    [InlineData(0, 1, 0, 0)]
    [InlineData(0, 0, 1, 0)]
    [InlineData(0, 0, 0, 1)]
    public void Select_AnyKind_KeepsTheNewestBackup(int daily, int weekly, int monthly, int yearly)
    {
        var backups = Series(BackupType.IncrementalFile, 10, stepHours: 1);

        var kept = Select(backups, daily, weekly, monthly, yearly);

        Assert.Equal([backups[^1].Id], kept.Keys);
    }

    [Fact]
    public void Select_SameTime_HigherIdCountsAsNewer()
    {
        var first = At("2024-01-01T00:00Z");
        var second = At("2024-01-01T00:00Z");

        Assert.Equal([second.Id], Select([second, first], daily: 1).Keys);
    }

    [Fact]
    public void Select_Weekly_IsoWeeksStartOnMonday()
    {
        var sunday = At("2024-01-07T20:00Z");
        var monday = At("2024-01-08T01:00Z");
        var saturday = At("2024-01-06T20:00Z");

        var kept = Select([saturday, sunday, monday], weekly: 2);

        Assert.Equal(["week 2024-W02"], kept[monday.Id]);
        Assert.Equal(["week 2024-W01"], kept[sunday.Id]);
        Assert.False(kept.ContainsKey(saturday.Id));
    }

    [Fact]
    public void Select_IsoWeek53_SpansTheNewYear()
    {
        var thursday = At("2020-12-31T12:00Z");
        var sunday = At("2021-01-03T12:00Z");
        var monday = At("2021-01-04T12:00Z");

        var kept = Select([thursday, sunday, monday], weekly: 3);

        Assert.Equal(["week 2021-W01"], kept[monday.Id]);
        Assert.Equal(["week 2020-W53"], kept[sunday.Id]);
        Assert.False(kept.ContainsKey(thursday.Id));
    }

    [Fact]
    public void Select_IsoWeek53Of2026_AndWeek1Of2027()
    {
        var inWeek53 = At("2027-01-03T12:00Z");
        var inWeek1 = At("2027-01-04T12:00Z");

        var kept = Select([inWeek53, inWeek1], weekly: 2);

        Assert.Equal(["week 2026-W53"], kept[inWeek53.Id]);
        Assert.Equal(["week 2027-W01"], kept[inWeek1.Id]);
    }

    [Fact]
    public void Select_Week1CanStartInDecember()
    {
        var monday = At("2024-12-30T12:00Z");

        Assert.Equal(["week 2025-W01"], Select([monday], weekly: 1)[monday.Id]);
    }

    [Fact]
    public void Select_Yearly_CalendarYearsNotIsoYears()
    {
        var december = At("2020-12-30T12:00Z");
        var january = At("2021-01-02T12:00Z");

        var kept = Select([december, january], weekly: 2, yearly: 2);

        Assert.Equal(["week 2020-W53", "year 2021"], kept[january.Id]);
        Assert.Equal(["year 2020"], kept[december.Id]);
    }

    [Fact]
    public void Select_MonthEnd_TakenInTheServersZone()
    {
        var midJanuary = At("2024-01-15T12:00Z");
        var lastEveningOfJanuary = At("2024-01-31T22:30Z"); // 23:30 in Berlin
        var firstNightOfFebruary = At("2024-01-31T23:30Z"); // 00:30 on 1 February in Berlin

        var berlin = Select([midJanuary, lastEveningOfJanuary, firstNightOfFebruary], monthly: 2, zone: Berlin);
        var utc = Select([midJanuary, lastEveningOfJanuary, firstNightOfFebruary], monthly: 2);

        Assert.Equal(["month 2024-02"], berlin[firstNightOfFebruary.Id]);
        Assert.Equal(["month 2024-01"], berlin[lastEveningOfJanuary.Id]);
        Assert.False(berlin.ContainsKey(midJanuary.Id));
        Assert.Equal([firstNightOfFebruary.Id], utc.Keys);
    }

    [Fact]
    public void Select_FebruaryOfALeapYear_EndsOnThe29th()
    {
        var feb29 = At("2024-02-29T22:00Z"); // 23:00 in Berlin
        var mar1 = At("2024-02-29T23:00Z"); // 00:00 on 1 March in Berlin

        var kept = Select([feb29, mar1], daily: 2, monthly: 2, zone: Berlin);

        Assert.Equal(["day 2024-02-29", "month 2024-02"], kept[feb29.Id]);
        Assert.Equal(["day 2024-03-01", "month 2024-03"], kept[mar1.Id]);
    }

    [Fact]
    public void Select_YearEnd_TakenInTheServersZone()
    {
        var june = At("2023-06-01T12:00Z");
        var newYearsEve = At("2024-01-01T03:00Z"); // 22:00 on 31 December 2023 in New York
        var newYear = At("2024-01-01T06:00Z"); // 01:00 on 1 January 2024 in New York

        var kept = Select([june, newYearsEve, newYear], yearly: 2, zone: NewYork);

        Assert.Equal(["year 2024"], kept[newYear.Id]);
        Assert.Equal(["year 2023"], kept[newYearsEve.Id]);
        Assert.False(kept.ContainsKey(june.Id));
    }

    [Fact]
    public void Select_BerlinSpringForward_DaysFollowTheLocalClock()
    {
        var lastMinuteOfMarch30 = At("2024-03-30T22:59Z"); // 23:59 CET
        var midnightMarch31 = At("2024-03-30T23:00Z"); // 00:00 CET
        var lastMinuteOfMarch31 = At("2024-03-31T21:59Z"); // 23:59 CEST: the day had 23 hours
        var midnightApril1 = At("2024-03-31T22:00Z"); // 00:00 CEST

        var kept = Select([lastMinuteOfMarch30, midnightMarch31, lastMinuteOfMarch31, midnightApril1], daily: 3, zone: Berlin);

        Assert.Equal(["day 2024-04-01"], kept[midnightApril1.Id]);
        Assert.Equal(["day 2024-03-31"], kept[lastMinuteOfMarch31.Id]);
        Assert.Equal(["day 2024-03-30"], kept[lastMinuteOfMarch30.Id]);
        Assert.False(kept.ContainsKey(midnightMarch31.Id));
    }

    [Fact]
    public void Select_BerlinFallBack_RepeatedHourIsOneDay()
    {
        var earlyOctober27 = At("2024-10-26T22:30Z"); // 00:30 CEST on 27 October
        var firstTwoThirty = At("2024-10-27T00:30Z"); // 02:30 CEST
        var secondTwoThirty = At("2024-10-27T01:30Z"); // 02:30 CET
        var october26 = At("2024-10-26T21:30Z"); // 23:30 CEST on 26 October

        var kept = Select([october26, earlyOctober27, firstTwoThirty, secondTwoThirty], daily: 2, zone: Berlin);

        Assert.Equal(new[] { october26.Id, secondTwoThirty.Id }.Order(), kept.Keys.Order());
        Assert.Equal(["day 2024-10-27"], kept[secondTwoThirty.Id]);
    }

    [Fact]
    public void Select_NewYorkSpringForward_LocalDateDiffersFromUtc()
    {
        var march9Evening = At("2024-03-10T04:30Z"); // 23:30 EST on 9 March
        var march10Night = At("2024-03-10T05:30Z"); // 00:30 EST on 10 March
        var march10Evening = At("2024-03-11T03:30Z"); // 23:30 EDT on 10 March

        var kept = Select([march9Evening, march10Night, march10Evening], daily: 2, zone: NewYork);

        Assert.Equal(["day 2024-03-10"], kept[march10Evening.Id]);
        Assert.Equal(["day 2024-03-09"], kept[march9Evening.Id]);
        Assert.False(kept.ContainsKey(march10Night.Id));
    }

    [Fact]
    public void Select_NewYorkFallBack_RepeatedHourIsOneDay()
    {
        var november2 = At("2024-11-02T12:00Z");
        var firstOneThirty = At("2024-11-03T05:30Z"); // 01:30 EDT
        var secondOneThirty = At("2024-11-03T06:30Z"); // 01:30 EST
        var lateNovember3 = At("2024-11-04T04:30Z"); // 23:30 EST on 3 November: the day had 25 hours

        var kept = Select([november2, firstOneThirty, secondOneThirty, lateNovember3], daily: 2, zone: NewYork);

        Assert.Equal(["day 2024-11-03"], kept[lateNovember3.Id]);
        Assert.Equal(["day 2024-11-02"], kept[november2.Id]);
        Assert.Equal(2, kept.Count);
    }

    [Fact]
    public void Select_WeekAcrossDstChange_IsOneWeek()
    {
        var saturday = At("2024-03-30T12:00Z");
        var sunday = At("2024-03-31T20:00Z");
        var monday = At("2024-03-31T22:30Z"); // 00:30 CEST on Monday 1 April

        var kept = Select([saturday, sunday, monday], weekly: 2, zone: Berlin);

        Assert.Equal(["week 2024-W14"], kept[monday.Id]);
        Assert.Equal(["week 2024-W13"], kept[sunday.Id]);
        Assert.False(kept.ContainsKey(saturday.Id));
    }

    [Fact]
    public void Select_CombinedKinds_LikeRestic()
    {
        // One backup a day through 2024: daily 7, weekly 4, monthly 12, yearly 3.
        var backups = Series(BackupType.IncrementalFile, 366, start: new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero));

        var kept = Select(backups, daily: 7, weekly: 4, monthly: 12, yearly: 3);

        // The last 7 days (25–31 Dec). Weeks: Tuesday 31 Dec is in 2025-W01, Sunday 29 Dec ends
        // 2024-W52, then the Sundays 22 and 15 Dec. Months: the last day of January to November.
        var expected = new List<DateTimeOffset>();
        for (var d = 25; d <= 31; d++) expected.Add(new(2024, 12, d, 12, 0, 0, TimeSpan.Zero));
        for (var d = 22; d >= 15; d -= 7) expected.Add(new(2024, 12, d, 12, 0, 0, TimeSpan.Zero));
        expected.AddRange(Enumerable.Range(1, 11).Select(m => new DateTimeOffset(2024, m, DateTime.DaysInMonth(2024, m), 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(expected.Order(), backups.Where(b => kept.ContainsKey(b.Id)).Select(b => b.Finished).Order());
    }

    [Theory]
    [InlineData(-1, 0, 0, 0, "keep_daily")]
    [InlineData(1, -1, 0, 0, "keep_weekly")]
    [InlineData(1, 0, -1, 0, "keep_monthly")]
    [InlineData(1, 0, 0, -1, "keep_yearly")]
    public void GfsRule_NegativeCount_InvalidInput(int daily, int weekly, int monthly, int yearly, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => new GfsRule(daily, weekly, monthly, yearly));

        Assert.Equal(field, e.Field);
        Assert.Equal($"{field} cannot be negative (-1).", e.Message);
    }

    [Fact]
    public void GfsRule_AllZero_InvalidInput()
    {
        var e = Assert.Throws<InvalidInputException>(() => new GfsRule(0, 0, 0, 0));

        Assert.Contains("Keep at least one daily, weekly, monthly or yearly backup", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GfsRule_ToString_NamesEveryCount()
    {
        Assert.Equal("keep daily 7, weekly 4, monthly 12, yearly 0", new GfsRule(7, 4, 12, 0).ToString());
    }
}
