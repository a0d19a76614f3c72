using Urb.Domain.Retention;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

public sealed class CountRetentionTests
{
    [Fact]
    public void PlanClient_NoBackups_NoDecisions()
    {
        var plan = Plan([]);

        Assert.Empty(plan.Decisions);
        Assert.True(plan.Quota.IsMet);
    }

    [Theory]
    [InlineData(BackupType.IncrementalFile, 100)]
    [InlineData(BackupType.FullFile, 10)]
    [InlineData(BackupType.IncrementalImage, 30)]
    [InlineData(BackupType.FullImage, 5)]
    public void PlanClient_ThreeAboveDefaultMax_DeletesTheThreeOldest(BackupType type, int max)
    {
        var backups = Series(type, max + 3);

        var plan = Plan(backups);

        Assert.Equal(backups.Take(3), plan.Deleted());
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionReason.OverMaxCount, d.Reason));
        Assert.All(backups.Skip(3), b => Assert.Equal(RetentionReason.WithinMaxCount, plan.For(b).Reason));
    }

    [Theory]
    [InlineData(BackupType.IncrementalFile, 100)]
    [InlineData(BackupType.FullFile, 10)]
    [InlineData(BackupType.IncrementalImage, 30)]
    [InlineData(BackupType.FullImage, 5)]
    public void PlanClient_ExactlyMax_DeletesNothing(BackupType type, int max)
    {
        var plan = Plan(Series(type, max));

        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void PlanClient_OverMax_ExplainsCountAndMax()
    {
        var backups = Series(BackupType.IncrementalFile, 101);

        var plan = Plan(backups);

        Assert.Equal("101 incremental file backups not archived, above the max of 100: the 1 oldest go", plan.For(backups[0]).Explanation);
        Assert.Equal("one of the newest 100 of 101 incremental file backups not archived (max 100)", plan.For(backups[1]).Explanation);
    }

    [Fact]
    public void PlanClient_WithinMax_ExplainsCount()
    {
        var backups = Series(BackupType.FullImage, 1);

        var plan = Plan(backups);

        Assert.Equal("1 full image backup not archived, within the max of 5", plan.For(backups[0]).Explanation);
    }

    [Fact]
    public void PlanClient_ArchivedBackups_NotCountedAndKept()
    {
        var archived = Enumerable.Range(0, 5)
            .Select(i => One(BackupType.FullFile, Day0.AddDays(-10 + i), archive: ArchiveMark.Manual(Day0)))
            .ToList();
        var plain = Series(BackupType.FullFile, 10);

        var plan = Plan(archived.Concat(plain));

        Assert.Empty(plan.Deletions);
        Assert.All(archived, b => Assert.Equal(RetentionReason.Archived, plan.For(b).Reason));
        Assert.All(archived, b => Assert.True(plan.For(b).IsExemption));
    }

    [Fact]
    public void PlanClient_OldArchivedAmongTooMany_DeletesOldestNotArchived()
    {
        var archived = One(BackupType.FullImage, Day0.AddDays(-1), archive: ArchiveMark.ByRule("r", Day0, null));
        var plain = Series(BackupType.FullImage, 7);

        var plan = Plan(plain.Append(archived));

        Assert.Equal(plain.Take(2), plan.Deleted());
        Assert.Equal("archived by rule 'r' forever", plan.For(archived).Explanation);
    }

    [Fact]
    public void PlanClient_RuleArchiveRanOut_CountsAndGoesLikeAnyOther()
    {
        var now = Day0.AddDays(400);
        var expired = One(BackupType.FullImage, Day0.AddDays(-1), archive: ArchiveMark.ByRule("r", Day0, Day0.AddDays(30)));
        var plain = Series(BackupType.FullImage, 5);

        var plan = Plan(plain.Append(expired), context: Context(now));

        Assert.Equal([expired], plan.Deleted());
        Assert.Equal(RetentionReason.OverMaxCount, plan.For(expired).Reason);
    }

    [Fact]
    public void PlanClient_RuleArchiveEndsNow_StillArchived()
    {
        var until = Day0.AddDays(30);
        var archived = One(BackupType.FullImage, Day0.AddDays(-1), archive: ArchiveMark.ByRule("r", Day0, until));

        var plan = Plan(Series(BackupType.FullImage, 5).Append(archived), context: Context(until));

        Assert.Empty(plan.Deletions);
        Assert.Equal(RetentionReason.Archived, plan.For(archived).Reason);
    }

    [Fact]
    public void PlanClient_ManualArchive_KeptForYears()
    {
        var archived = One(BackupType.IncrementalImage, Day0, archive: ArchiveMark.Manual(Day0));
        var plan = Plan(Series(BackupType.IncrementalImage, 40, start: Day0.AddDays(1)).Append(archived),
            context: Context(Day0.AddYears(30), Berlin));

        Assert.Equal(RetentionReason.Archived, plan.For(archived).Reason);
        Assert.Equal("archived manually on 2024-01-01 04:00 +01:00, kept until unarchived", plan.For(archived).Explanation);
        Assert.Equal(10, plan.Deletions.Count());
    }

    [Fact]
    public void PlanClient_TypesAreCountedApart()
    {
        var incremental = Series(BackupType.IncrementalFile, 101, stepHours: 5);
        var images = Series(BackupType.FullImage, 6, stepHours: 24 * 30);
        var full = Series(BackupType.FullFile, 10);

        var plan = Plan(incremental.Concat(images).Concat(full));

        Assert.Equal(new[] { incremental[0], images[0] }.OrderBy(b => b.Finished), plan.Deleted());
    }

    [Fact]
    public void PlanClient_CustomLimits_Applied()
    {
        var policy = RetentionPolicy.Default.With(BackupType.IncrementalFile, new CountLimits(1, 3));
        var backups = Series(BackupType.IncrementalFile, 5);

        var plan = Plan(backups, policy);

        Assert.Equal(backups.Take(2), plan.Deleted());
    }

    [Fact]
    public void PlanClient_MaxZero_DeletesEveryBackupNotArchived()
    {
        var policy = RetentionPolicy.Default.With(BackupType.FullFile, new CountLimits(0, 0));
        var archived = One(BackupType.FullFile, Day0, archive: ArchiveMark.Manual(Day0));
        var backups = Series(BackupType.FullFile, 3);

        var plan = Plan(backups.Append(archived), policy);

        Assert.Equal(backups, plan.Deleted());
    }

    [Fact]
    public void PlanClient_SameFinishTime_OlderIdGoesFirst()
    {
        var same = Enumerable.Range(0, 6).Select(_ => One(BackupType.FullImage, Day0)).ToList();

        var plan = Plan(Enumerable.Reverse(same));

        Assert.Equal([same[0]], plan.Deleted());
    }

    [Fact]
    public void PlanClient_Decisions_OnePerBackupOldestFirst()
    {
        var backups = Series(BackupType.FullFile, 12).Concat(Series(BackupType.IncrementalFile, 3, start: Day0.AddHours(1))).ToList();

        var plan = Plan(backups.AsEnumerable().Reverse());

        Assert.Equal(backups.OrderBy(b => b.Finished).Select(b => b.Id), plan.Decisions.Select(d => d.Backup.Id));
    }

    [Fact]
    public void PlanClient_Decision_ToStringNamesActionTypeAndId()
    {
        var backups = Series(BackupType.FullImage, 6);

        var plan = Plan(backups);

        Assert.StartsWith($"delete full image backup {backups[0].Id}: 6 full image", plan.For(backups[0]).ToString(), StringComparison.Ordinal);
        Assert.StartsWith($"keep full image backup {backups[1].Id}: ", plan.For(backups[1]).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PlanClient_BackupListedTwice_Throws()
    {
        var backup = One(BackupType.FullFile, Day0);

        Assert.Throws<ArgumentException>(() => new ClientCleanupInput(Guid.NewGuid(), [backup, backup]));
    }

    [Fact]
    public void PlanClient_ClientIdOnEveryDecision()
    {
        var client = Guid.NewGuid();

        var plan = CleanupPlanner.PlanClient(new ClientCleanupInput(client, Series(BackupType.FullImage, 7)), Context());

        Assert.Equal(client, plan.ClientId);
        Assert.All(plan.Decisions, d => Assert.Equal(client, d.ClientId));
    }
}
