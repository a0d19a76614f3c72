using Urb.Domain.Retention;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

public sealed class ArchivalPlannerTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 10, 3, 0, 0, TimeSpan.Zero);
    private static readonly ArchivalRule Weekly = ArchivalRule.Parse("every 7d keep 30d");

    private static ArchivalPlan Plan(IEnumerable<BackupRecord> backups, IReadOnlyList<ArchivalRule>? rules = null,
        DateTimeOffset? now = null, IReadOnlyDictionary<string, DateTimeOffset>? stored = null) =>
        ArchivalPlanner.Plan(rules ?? [Weekly], backups.ToList(), Context(now ?? Now), stored);

    private static BackupRecord ArchivedBy(ArchivalRule rule, DateTimeOffset at, BackupType type = BackupType.IncrementalFile) =>
        One(type, at.AddHours(-1), archive: ArchiveMark.ByRule(rule.Id, at, rule.UntilFor(at)));

    [Fact]
    public void Plan_NoRules_NothingToDo()
    {
        var plan = Plan(Series(BackupType.IncrementalFile, 3), rules: []);

        Assert.Empty(plan.Archive);
        Assert.Empty(plan.Expire);
        Assert.Empty(plan.Rules);
    }

    [Fact]
    public void Plan_NeverArchived_ArchivesTheNewestBackup()
    {
        var backups = Series(BackupType.IncrementalFile, 5, start: Now.AddDays(-5));

        var plan = Plan(backups);

        var decision = Assert.Single(plan.Archive);
        Assert.Same(backups[^1], decision.Backup);
        Assert.Same(Weekly, decision.Rule);
        Assert.Equal(ArchiveMark.ByRule("every 7d keep 30d", Now, Now.AddDays(30)), decision.Mark);
        Assert.Equal("rule 'every 7d keep 30d' is due (never archived): the newest backup, archived until 2024-07-10 03:00 +00:00", decision.Explanation);
        var outcome = Assert.Single(plan.Rules);
        Assert.Equal(new ArchivalRuleOutcome(Weekly, ArchivalRuleStatus.Archived, Now, Now.AddDays(7), decision.Explanation), outcome);
    }

    [Fact]
    public void Plan_ArchivedRecently_NotDue()
    {
        var archived = ArchivedBy(Weekly, Now.AddDays(-3));

        var plan = Plan(Series(BackupType.IncrementalFile, 3, start: Now.AddDays(-2)).Append(archived));

        Assert.Empty(plan.Archive);
        var outcome = Assert.Single(plan.Rules);
        Assert.Equal(ArchivalRuleStatus.NotDue, outcome.Status);
        Assert.Equal(Now.AddDays(-3), outcome.LastArchivedAt);
        Assert.Equal(Now.AddDays(4), outcome.NextDue);
        Assert.Equal("rule 'every 7d keep 30d': last archived 2024-06-07 03:00 +00:00, next due 2024-06-14 03:00 +00:00", outcome.Explanation);
    }

    [Fact]
    public void Plan_PeriodPassed_ArchivesNewestSinceTheLastArchive()
    {
        var archived = ArchivedBy(Weekly, Now.AddDays(-7));
        var newer = Series(BackupType.IncrementalFile, 3, start: Now.AddDays(-3));

        var plan = Plan(newer.Append(archived));

        Assert.Same(newer[^1], Assert.Single(plan.Archive).Backup);
        Assert.StartsWith("rule 'every 7d keep 30d' is due (last archived 2024-06-03 03:00 +00:00)", plan.Archive[0].Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("every 7d keep 30d", 59, true)]
    [InlineData("every 7d keep 30d", 60, true)]
    [InlineData("every 7d keep 30d", 61, false)]
    [InlineData("every 1d keep 7d", 60, true)]
    [InlineData("every 1d keep 7d", 61, false)]
    [InlineData("every 1h keep 1d", 2, true)]
    [InlineData("every 1h keep 1d", 3, false)]
    [InlineData("every 1m keep 1y", 60, true)]
    [InlineData("every 1m keep 1y", 61, false)]
    public void Plan_RunALittleEarly_StillDueWithinTheSlack(string text, int minutesEarly, bool due)
    {
        var rule = ArchivalRule.Parse(text);
        var last = Now.AddDays(-40);
        var now = rule.Every.AddTo(last).AddMinutes(-minutesEarly);
        var backup = One(BackupType.FullFile, now.AddMinutes(-1));

        var plan = Plan([backup], [rule], now, new Dictionary<string, DateTimeOffset> { [rule.Id] = last });

        Assert.Equal(due, plan.Archive.Count == 1);
    }

    [Fact]
    public void DueAt_SlackIsAtMostAnHourAndAt24thOfThePeriod()
    {
        Assert.Equal(Now.AddDays(7).AddHours(-1), ArchivalPlanner.DueAt(Weekly, Now));
        Assert.Equal(Now.AddHours(12).AddMinutes(-30), ArchivalPlanner.DueAt(ArchivalRule.Parse("every 12h keep 1d"), Now));
    }

    [Fact]
    public void Plan_StoredLastTime_CountsWhenTheMarkIsGone()
    {
        var rule = ArchivalRule.Parse("every 30d keep 7d");
        var backups = Series(BackupType.IncrementalFile, 3, start: Now.AddDays(-3));

        var plan = Plan(backups, [rule], stored: new Dictionary<string, DateTimeOffset> { [rule.Id] = Now.AddDays(-10) });

        Assert.Equal(ArchivalRuleStatus.NotDue, Assert.Single(plan.Rules).Status);
    }

    [Fact]
    public void Plan_StoredAndMark_LaterWins()
    {
        var archived = ArchivedBy(Weekly, Now.AddDays(-2));
        var stored = new Dictionary<string, DateTimeOffset> { [Weekly.Id] = Now.AddDays(-20) };

        var plan = Plan(Series(BackupType.IncrementalFile, 2, start: Now.AddDays(-1)).Append(archived), stored: stored);

        Assert.Equal(Now.AddDays(-2), Assert.Single(plan.Rules).LastArchivedAt);
        Assert.Equal(ArchivalRuleStatus.NotDue, plan.Rules[0].Status);
    }

    [Fact]
    public void Plan_StoredTimeOfAnotherRule_Ignored()
    {
        var stored = new Dictionary<string, DateTimeOffset> { ["every 1d keep 1d"] = Now.AddHours(-1) };

        var plan = Plan(Series(BackupType.IncrementalFile, 1, start: Now.AddDays(-1)), stored: stored);

        Assert.Single(plan.Archive);
    }

    [Fact]
    public void Plan_MarkOfAnotherRule_DoesNotCountAsThisRulesLast()
    {
        var other = ArchivalRule.Parse("every 1d keep 1d");
        var archivedByOther = ArchivedBy(other, Now.AddHours(-2));
        var plain = One(BackupType.IncrementalFile, Now.AddHours(-5));

        var plan = Plan([plain, archivedByOther]);

        Assert.Same(plain, Assert.Single(plan.Archive).Backup);
    }

    [Fact]
    public void Plan_NoNewBackupSinceLastArchive_StaysDue()
    {
        var archived = ArchivedBy(Weekly, Now.AddDays(-8));
        var older = One(BackupType.IncrementalFile, Now.AddDays(-9));

        var plan = Plan([older, archived]);

        Assert.Empty(plan.Archive);
        var outcome = Assert.Single(plan.Rules);
        Assert.Equal(ArchivalRuleStatus.NothingToArchive, outcome.Status);
        Assert.Equal(Now, outcome.NextDue);
        Assert.Equal("rule 'every 7d keep 30d': due (last archived 2024-06-02 03:00 +00:00), but no backup that is not archived finished since; it stays due",
            outcome.Explanation);
    }

    [Fact]
    public void Plan_NewestIsArchivedManually_TakesTheNextNewest()
    {
        var older = One(BackupType.IncrementalFile, Now.AddHours(-5));
        var manual = One(BackupType.IncrementalFile, Now.AddHours(-1), archive: ArchiveMark.Manual(Now.AddMinutes(-30)));

        var plan = Plan([older, manual]);

        Assert.Same(older, Assert.Single(plan.Archive).Backup);
    }

    [Theory]
    [InlineData("every 7d keep 30d of full-file", BackupType.FullFile)]
    [InlineData("every 7d keep 30d of incremental-file", BackupType.IncrementalFile)]
    [InlineData("every 7d keep 30d of full-image", BackupType.FullImage)]
    [InlineData("every 7d keep 30d of incremental-image", BackupType.IncrementalImage)]
    public void Plan_Scope_NewestOfThatType(string text, BackupType type)
    {
        // Each type's backup is the newest in turn, in the order of BackupTypeExtensions.All.
        var backups = BackupTypeExtensions.All.Select((t, i) => One(t, Now.AddHours(-10 + i))).ToList();

        var plan = Plan(backups, [ArchivalRule.Parse(text)]);

        Assert.Equal(type, Assert.Single(plan.Archive).Backup.Type);
        Assert.Contains($"the newest {type.Describe()} backup", plan.Archive[0].Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file", BackupType.FullFile, "the newest file backup")]
    [InlineData("image", BackupType.FullImage, "the newest image backup")]
    [InlineData("any", BackupType.FullImage, "the newest backup")]
    public void Plan_GroupScope_NewestOfItsTypes(string scope, BackupType type, string words)
    {
        var backups = BackupTypeExtensions.All.Select((t, i) => One(t, Now.AddHours(-10 + i))).ToList();

        var plan = Plan(backups, [ArchivalRule.Parse("every 7d keep 30d of " + scope)]);

        Assert.Equal(type, Assert.Single(plan.Archive).Backup.Type);
        Assert.Contains(words, plan.Archive[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TwoRulesDue_EachTakesADifferentBackupInOrder()
    {
        var monthly = ArchivalRule.Parse("every 1m keep 1y");
        var backups = Series(BackupType.IncrementalFile, 3, start: Now.AddDays(-3));

        var plan = Plan(backups, [Weekly, monthly]);

        Assert.Equal(new[] { backups[2], backups[1] }, plan.Archive.Select(a => a.Backup));
        Assert.Equal(new[] { Weekly.Id, monthly.Id }, plan.Archive.Select(a => a.Mark.RuleId));
    }

    [Fact]
    public void Plan_BackupFinishedAfterNow_Ignored()
    {
        var past = One(BackupType.IncrementalFile, Now.AddHours(-1));
        var future = One(BackupType.IncrementalFile, Now.AddHours(1));

        Assert.Same(past, Assert.Single(Plan([past, future]).Archive).Backup);
    }

    [Fact]
    public void Plan_KeepForever_MarkHasNoEnd()
    {
        var plan = Plan([One(BackupType.FullImage, Now.AddDays(-1))], [ArchivalRule.Parse("every 1y keep forever")]);

        Assert.Null(plan.Archive[0].Mark.Until);
        Assert.EndsWith("the newest backup, archived forever", plan.Archive[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RuleArchiveRanOut_Expires()
    {
        var ranOut = One(BackupType.IncrementalFile, Now.AddDays(-40), archive: ArchiveMark.ByRule("old rule", Now.AddDays(-40), Now.AddMinutes(-1)));

        var plan = Plan([ranOut], rules: []);

        var expiry = Assert.Single(plan.Expire);
        Assert.Same(ranOut, expiry.Backup);
        Assert.Same(ranOut.Archive, expiry.Mark);
        Assert.Equal("the archive by rule 'old rule' ran out 2024-06-10 02:59 +00:00; the backup is no longer exempt from cleanup", expiry.Explanation);
    }

    [Fact]
    public void Plan_ArchivesThatHold_DoNotExpire()
    {
        var endsNow = One(BackupType.IncrementalFile, Now.AddDays(-30), archive: ArchiveMark.ByRule("r", Now.AddDays(-30), Now));
        var forever = One(BackupType.IncrementalFile, Now.AddDays(-900), archive: ArchiveMark.ByRule("r", Now.AddDays(-900), null));
        var manual = One(BackupType.IncrementalFile, Now.AddDays(-9000), archive: ArchiveMark.Manual(Now.AddDays(-9000)));

        Assert.Empty(Plan([endsNow, forever, manual], rules: []).Expire);
    }

    [Fact]
    public void Plan_RanOutAndArchivedAgain_NotListedToExpire()
    {
        var ranOut = One(BackupType.IncrementalFile, Now.AddDays(-1), archive: ArchiveMark.ByRule("r", Now.AddDays(-1), Now.AddHours(-1)));

        var plan = Plan([ranOut]);

        Assert.Same(ranOut, Assert.Single(plan.Archive).Backup);
        Assert.Empty(plan.Expire);
    }

    [Fact]
    public void Plan_RuleListedTwice_Throws()
    {
        Assert.Throws<ArgumentException>(() => Plan([], [Weekly, ArchivalRule.Parse("keep 30d every 7d")]));
    }

    [Fact]
    public void Plan_Monthly_DueOnTheSameDayNextMonth()
    {
        var rule = ArchivalRule.Parse("every 1m keep 1y");
        var last = new DateTimeOffset(2024, 1, 31, 3, 0, 0, TimeSpan.Zero);
        var stored = new Dictionary<string, DateTimeOffset> { [rule.Id] = last };
        var backups = Series(BackupType.IncrementalFile, 40, start: last);

        var dayBefore = Plan(backups, [rule], new DateTimeOffset(2024, 2, 28, 3, 0, 0, TimeSpan.Zero), stored);
        var leapDay = Plan(backups, [rule], new DateTimeOffset(2024, 2, 29, 3, 0, 0, TimeSpan.Zero), stored);

        Assert.Equal(ArchivalRuleStatus.NotDue, dayBefore.Rules[0].Status);
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 3, 0, 0, TimeSpan.Zero), dayBefore.Rules[0].NextDue);
        Assert.Equal(ArchivalRuleStatus.Archived, leapDay.Rules[0].Status);
    }
}
