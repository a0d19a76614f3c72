using Urb.Domain.Retention;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

public sealed class GfsRetentionTests
{
    private static RetentionPolicy Gfs(int daily, int weekly = 0, int monthly = 0, int yearly = 0, int min = 1) =>
        new(BackupTypeExtensions.All.ToDictionary(t => t, _ => new CountLimits(min, 100)), new GfsRule(daily, weekly, monthly, yearly));

    [Fact]
    public void PlanClient_Gfs_DeletesWhatItDoesNotKeep()
    {
        var backups = Series(BackupType.IncrementalFile, 30, stepHours: 12);

        var plan = Plan(backups, Gfs(daily: 3));

        Assert.Equal(backups.Take(30 - 6).Concat([backups[24], backups[26], backups[28]]).OrderBy(b => b.Finished), plan.Deleted());
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionReason.NotKeptByGfs, d.Reason));
        Assert.Equal("not the newest incremental file backup of a kept day, week, month or year (keep daily 3, weekly 0, monthly 0, yearly 0)",
            plan.For(backups[0]).Explanation);
    }

    [Fact]
    public void PlanClient_Gfs_ExplainsWhyKept()
    {
        var backups = Series(BackupType.FullImage, 3, stepHours: 24 * 7);

        var plan = Plan(backups, Gfs(daily: 0, weekly: 1, monthly: 1));

        Assert.Equal(RetentionReason.KeptByGfs, plan.For(backups[2]).Reason);
        Assert.Equal("the newest full image backup of week 2024-W03, month 2024-01 (keep daily 0, weekly 1, monthly 1, yearly 0)",
            plan.For(backups[2]).Explanation);
    }

    [Fact]
    public void PlanClient_Gfs_MinCountStillHolds()
    {
        var backups = Series(BackupType.IncrementalFile, 60);

        var plan = Plan(backups, RetentionPolicy.Default with { Gfs = new GfsRule(7, 0, 0, 0) });

        Assert.Equal(backups.Take(20), plan.Deleted());
        Assert.All(backups.Skip(53), b => Assert.Equal(RetentionReason.KeptByGfs, plan.For(b).Reason));
        Assert.All(backups.Skip(20).Take(33), b => Assert.Equal(RetentionReason.MinCount, plan.For(b).Reason));
        Assert.EndsWith("but incremental file backups are at their min count of 40", plan.For(backups[20]).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanClient_Gfs_IgnoresTheMaxCount()
    {
        var backups = Series(BackupType.IncrementalFile, 200);

        var plan = Plan(backups, Gfs(daily: 150));

        Assert.Equal(50, plan.Deletions.Count());
    }

    [Fact]
    public void PlanClient_Gfs_ArchivedBackupsNeitherCountNorGo()
    {
        var older = One(BackupType.IncrementalFile, Day0);
        var archivedNewer = One(BackupType.IncrementalFile, Day0.AddHours(1), archive: ArchiveMark.Manual(Day0));
        var muchOlder = One(BackupType.IncrementalFile, Day0.AddDays(-40));

        var plan = Plan([muchOlder, older, archivedNewer], Gfs(daily: 1, min: 0));

        Assert.Equal(RetentionReason.KeptByGfs, plan.For(older).Reason);
        Assert.Equal(RetentionReason.Archived, plan.For(archivedNewer).Reason);
        Assert.Equal([muchOlder], plan.Deleted());
    }

    [Fact]
    public void PlanClient_Gfs_EachTypeOnItsOwn()
    {
        var files = Series(BackupType.IncrementalFile, 5);
        var images = Series(BackupType.FullImage, 5, start: Day0.AddHours(1));

        var plan = Plan(files.Concat(images), Gfs(daily: 2, min: 0));

        Assert.Equal(files.Take(3).Concat(images.Take(3)).OrderBy(b => b.Finished), plan.Deleted());
    }

    [Fact]
    public void PlanClient_GfsThenQuota_QuotaCanTakeKeptBackupsAboveMin()
    {
        var backups = Series(BackupType.IncrementalFile, 10, bytes: GiB);

        var plan = Plan(backups, Gfs(daily: 10), SoftQuota.Parse("8G"));

        Assert.Equal(backups.Take(2), plan.Deleted());
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionReason.OverClientQuota, d.Reason));
    }

    [Fact]
    public void PlanClient_Gfs_DaysInTheContextsZone()
    {
        var lastEveningOfJanuary = One(BackupType.FullFile, new DateTimeOffset(2024, 1, 31, 22, 30, 0, TimeSpan.Zero));
        var firstNightOfFebruary = One(BackupType.FullFile, new DateTimeOffset(2024, 1, 31, 23, 30, 0, TimeSpan.Zero));
        var backups = new[] { lastEveningOfJanuary, firstNightOfFebruary };

        var berlin = Plan(backups, Gfs(daily: 0, monthly: 2, min: 0), context: Context(zone: Berlin));
        var utc = Plan(backups, Gfs(daily: 0, monthly: 2, min: 0), context: Context(zone: TimeZoneInfo.Utc));

        Assert.Empty(berlin.Deletions);
        Assert.Equal([lastEveningOfJanuary], utc.Deleted());
    }
}
