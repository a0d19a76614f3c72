using Urb.Domain.Retention;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

public sealed class ClientQuotaTests
{
    // Min 1 of every type and room for many, so only the quota deletes.
    private static readonly RetentionPolicy Loose = new(BackupTypeExtensions.All.ToDictionary(t => t, _ => new CountLimits(1, 1000)));

    [Fact]
    public void PlanClient_NoQuota_DeletesNothingForQuota()
    {
        var plan = Plan(Series(BackupType.IncrementalFile, 10, bytes: GiB), Loose);

        Assert.Empty(plan.Deletions);
        Assert.Null(plan.Quota.LimitBytes);
        Assert.True(plan.Quota.IsMet);
        Assert.Equal("no quota; charged 10 GiB", plan.Quota.Explanation);
    }

    [Fact]
    public void PlanClient_UnderQuota_DeletesNothing()
    {
        var plan = Plan(Series(BackupType.IncrementalFile, 10, bytes: GiB), Loose, SoftQuota.Parse("20G"));

        Assert.Empty(plan.Deletions);
        Assert.Equal(new QuotaOutcome(20 * GiB, 10 * GiB, 10 * GiB, 0, "charged 10 GiB of a quota of 20 GiB; 0 deleted, 10 GiB left"), plan.Quota);
    }

    [Fact]
    public void PlanClient_ExactlyAtQuota_DeletesNothing()
    {
        var plan = Plan(Series(BackupType.IncrementalFile, 10, bytes: GiB), Loose, SoftQuota.Parse("10G"));

        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void PlanClient_OverQuota_DeletesOldestUntilAtOrBelow()
    {
        var backups = Series(BackupType.IncrementalFile, 10, bytes: GiB);

        var plan = Plan(backups, Loose, SoftQuota.Parse("7G"));

        Assert.Equal(backups.Take(3), plan.Deleted());
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionReason.OverClientQuota, d.Reason));
        Assert.Equal(10 * GiB, plan.Quota.UsedBefore);
        Assert.Equal(7 * GiB, plan.Quota.UsedAfter);
        Assert.Equal(3, plan.Quota.Deleted);
        Assert.True(plan.Quota.IsMet);
    }

    [Fact]
    public void PlanClient_OverQuota_ExplainsUsageAndQuota()
    {
        var backups = Series(BackupType.IncrementalFile, 10, bytes: GiB);

        var plan = Plan(backups, Loose, SoftQuota.Parse("8G"));

        Assert.Equal("the client's backups are charged 10 GiB, above its quota of 8 GiB: image and file backups go in turn, and this is the oldest file backup whose type is above its min count",
            plan.For(backups[0]).Explanation);
        Assert.StartsWith("the client's backups are charged 9 GiB", plan.For(backups[1]).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanClient_OverQuota_AlternatesImageAndFileStartingWithImage()
    {
        // Every file backup is older than every image backup; oldest-first alone would take three files.
        var files = Series(BackupType.IncrementalFile, 5, bytes: GiB);
        var images = Series(BackupType.IncrementalImage, 5, bytes: GiB, start: Day0.AddDays(100));

        var plan = Plan(files.Concat(images), Loose, SoftQuota.Parse("7G"));

        Assert.Equal(new[] { files[0], images[0], images[1] }, plan.Deleted());
    }

    [Fact]
    public void PlanClient_OneDeletionNeeded_ImageGoesFirstEvenIfNewer()
    {
        var file = One(BackupType.FullFile, Day0, GiB);
        var images = Series(BackupType.FullImage, 2, bytes: GiB, start: Day0.AddDays(10));
        var files = Series(BackupType.FullFile, 1, bytes: GiB, start: Day0.AddDays(20));

        var plan = Plan(images.Concat(files).Append(file), Loose, SoftQuota.Parse("3G"));

        Assert.Equal([images[0]], plan.Deleted());
    }

    [Fact]
    public void PlanClient_NoImages_TakesOnlyFilesOldestFirst()
    {
        var backups = Series(BackupType.IncrementalFile, 6, bytes: GiB);

        var plan = Plan(backups, Loose, SoftQuota.Parse("2G"));

        Assert.Equal(backups.Take(4), plan.Deleted());
    }

    [Fact]
    public void PlanClient_ImagesAtMin_SkipsImageSide()
    {
        var images = Series(BackupType.FullImage, 1, bytes: GiB);
        var files = Series(BackupType.IncrementalFile, 4, bytes: GiB, start: Day0.AddDays(1));

        var plan = Plan(images.Concat(files), Loose, SoftQuota.Parse("2G"));

        Assert.Equal(files.Take(3), plan.Deleted());
    }

    [Fact]
    public void PlanClient_WithinSide_OldestOfFullAndIncrementalGoes()
    {
        var full = Series(BackupType.FullFile, 3, stepHours: 48, bytes: GiB);
        var incremental = Series(BackupType.IncrementalFile, 3, stepHours: 48, bytes: GiB, start: Day0.AddDays(1));

        var plan = Plan(full.Concat(incremental), Loose, SoftQuota.Parse("3G"));

        // Ages: full0, incr0, full1, incr1, full2, incr2.
        Assert.Equal(new[] { full[0], incremental[0], full[1] }, plan.Deleted());
    }

    [Fact]
    public void PlanClient_WithinSide_TypeAtMinIsSkipped()
    {
        var full = Series(BackupType.FullFile, 2, bytes: GiB);
        var incremental = Series(BackupType.IncrementalFile, 4, bytes: GiB, start: Day0.AddDays(10));
        var policy = Loose.With(BackupType.FullFile, new CountLimits(2, 10));

        var plan = Plan(full.Concat(incremental), policy, SoftQuota.Parse("3G"));

        Assert.Equal(incremental.Take(3), plan.Deleted());
    }

    [Fact]
    public void PlanClient_QuotaCannotBeMet_StopsAtMinCountsAndSaysWhy()
    {
        var files = Series(BackupType.IncrementalFile, 50, bytes: GiB);
        var images = Series(BackupType.IncrementalImage, 10, bytes: GiB, start: Day0.AddHours(1));

        var plan = Plan(files.Concat(images), RetentionPolicy.Default, SoftQuota.Parse("1G"));

        Assert.Equal(10 + 6, plan.Deletions.Count());
        Assert.Equal(files.Take(10).Concat(images.Take(6)).OrderBy(b => b.Finished), plan.Deleted());
        Assert.False(plan.Quota.IsMet);
        Assert.Equal(44 * GiB, plan.Quota.UsedAfter);
        Assert.Equal("charged 60 GiB of a quota of 1 GiB; 16 deleted, still 44 GiB: every other backup is archived or at its type's min count",
            plan.Quota.Explanation);
        var kept = plan.For(files[^1]);
        Assert.Equal(RetentionReason.MinCount, kept.Reason);
        Assert.True(kept.IsExemption);
        Assert.Equal("the client is still above its quota of 1 GiB (44 GiB), but incremental file backups are at their min count of 40", kept.Explanation);
        Assert.Equal(RetentionReason.MinCount, plan.For(images[^1]).Reason);
    }

    [Fact]
    public void PlanClient_ArchivedBackups_CountTowardQuotaButNeverGo()
    {
        var archived = Enumerable.Range(0, 3)
            .Select(i => One(BackupType.FullImage, Day0.AddDays(i), GiB, ArchiveMark.Manual(Day0.AddDays(i))))
            .ToList();
        var plain = Series(BackupType.FullImage, 3, bytes: GiB, start: Day0.AddDays(10));

        var plan = Plan(archived.Concat(plain), Loose, SoftQuota.Parse("2G"));

        Assert.Equal(plain.Take(2), plan.Deleted());
        Assert.All(archived, b => Assert.Equal(RetentionReason.Archived, plan.For(b).Reason));
        Assert.False(plan.Quota.IsMet);
        Assert.Equal(4 * GiB, plan.Quota.UsedAfter);
        Assert.Equal(RetentionReason.MinCount, plan.For(plain[2]).Reason);
    }

    [Fact]
    public void PlanClient_CountRulesFirst_QuotaSeesWhatTheyLeft()
    {
        var backups = Series(BackupType.FullImage, 7, bytes: GiB);

        var plan = Plan(backups, RetentionPolicy.Default, SoftQuota.Parse("4G"));

        Assert.Equal(5 * GiB, plan.Quota.UsedBefore);
        Assert.Equal(new[] { RetentionReason.OverMaxCount, RetentionReason.OverMaxCount, RetentionReason.OverClientQuota },
            plan.Deletions.Select(d => d.Reason));
    }

    [Fact]
    public void PlanClient_PercentageQuota_OfCapacity()
    {
        var backups = Series(BackupType.IncrementalFile, 12, bytes: GiB);

        var plan = Plan(backups, Loose, SoftQuota.Parse("10%"), Context(capacity: 100 * GiB));

        Assert.Equal(backups.Take(2), plan.Deleted());
        Assert.Equal(10 * GiB, plan.Quota.LimitBytes);
        Assert.Contains("above its quota of 10% of 100 GiB (10 GiB)", plan.For(backups[0]).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanClient_PercentageQuotaWithUnknownCapacity_NotEnforced()
    {
        var plan = Plan(Series(BackupType.IncrementalFile, 12, bytes: GiB), Loose, SoftQuota.Parse("10%"), Context(capacity: null));

        Assert.Empty(plan.Deletions);
        Assert.Equal("the quota of 10% is not enforced: the storage's capacity is unknown; charged 12 GiB", plan.Quota.Explanation);
        Assert.True(plan.Quota.IsMet);
    }

    [Fact]
    public void PlanClient_BigAndSmallBackups_StopsAsSoonAsBelow()
    {
        var big = One(BackupType.IncrementalFile, Day0, 10 * GiB);
        var small = Series(BackupType.IncrementalFile, 5, bytes: 1, start: Day0.AddDays(1));

        var plan = Plan(small.Prepend(big), Loose, SoftQuota.Parse("1G"));

        Assert.Equal([big], plan.Deleted());
        Assert.Equal(5, plan.Quota.UsedAfter);
    }

    [Fact]
    public void PlanClient_ZeroQuota_DeletesDownToMinCounts()
    {
        var backups = Series(BackupType.FullFile, 8, bytes: 100);

        var plan = Plan(backups, RetentionPolicy.Default, SoftQuota.Parse("0"));

        Assert.Equal(backups.Take(6), plan.Deleted());
    }
}
