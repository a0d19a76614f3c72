using Urb.Domain.Retention;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

public sealed class GlobalQuotaTests
{
    private static readonly RetentionPolicy NoMin = new(BackupTypeExtensions.All.ToDictionary(t => t, _ => new CountLimits(0, 1000)));

    private static ClientCleanupInput Client(IEnumerable<BackupRecord> backups, RetentionPolicy? policy = null, SoftQuota? quota = null) =>
        new(Guid.NewGuid(), backups.ToList(), policy ?? NoMin, quota);

    private static List<BackupRecord> Deleted(CleanupPlan plan) => plan.Deletions.Select(d => d.Backup).ToList();

    [Fact]
    public void PlanAll_NoGlobalQuota_Unenforced()
    {
        var plan = CleanupPlanner.PlanAll([Client(Series(BackupType.FullFile, 3, bytes: GiB))], SoftQuota.None, Context());

        Assert.Empty(plan.Deletions);
        Assert.Null(plan.GlobalQuota.LimitBytes);
        Assert.Equal(3 * GiB, plan.GlobalQuota.UsedBefore);
    }

    [Fact]
    public void PlanAll_OverGlobalQuota_OldestAcrossClientsFirst()
    {
        var a = Series(BackupType.IncrementalFile, 3, bytes: GiB, start: Day0.AddDays(1));
        var b = Series(BackupType.IncrementalFile, 3, bytes: GiB, start: Day0.AddHours(1));

        var plan = CleanupPlanner.PlanAll([Client(a), Client(b)], SoftQuota.Parse("3G"), Context());

        // Finish times: b0 (day 0), a0 (day 1), b1 (day 1 +1h), a1, b2, a2.
        Assert.Equal(new[] { a[0], b[0], b[1] }.OrderBy(x => x.Id), Deleted(plan).OrderBy(x => x.Id));
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionReason.OverGlobalQuota, d.Reason));
        Assert.Equal("all clients' backups are charged 6 GiB, above the global quota of 3 GiB: each client offers its next backup "
            + "(image and file in turn, types above their min counts), and this file backup is the oldest offer", plan.Clients[1].For(b[0]).Explanation);
        Assert.True(plan.GlobalQuota.IsMet);
        Assert.Equal(3 * GiB, plan.GlobalQuota.UsedAfter);
        Assert.Equal("all clients charged 6 GiB of a global quota of 3 GiB; 3 deleted, 3 GiB left", plan.GlobalQuota.Explanation);
    }

    [Fact]
    public void PlanAll_EachClientAlternatesOnItsOwn()
    {
        // A's file backups are the oldest of all, but A's turn is an image first.
        var aFiles = Series(BackupType.IncrementalFile, 3, bytes: GiB);
        var aImages = Series(BackupType.IncrementalImage, 2, bytes: GiB, start: Day0.AddDays(10));
        var bFiles = Series(BackupType.IncrementalFile, 2, bytes: GiB, start: Day0.AddDays(3));

        var plan = CleanupPlanner.PlanAll([Client(aFiles.Concat(aImages)), Client(bFiles)], SoftQuota.Parse("4G"), Context());

        // A offers its image of day 10, B (no images) its file of day 3: B's two files go, then A's image.
        Assert.Equal(new[] { aImages[0], bFiles[0], bFiles[1] }.OrderBy(x => x.Id), Deleted(plan).OrderBy(x => x.Id));
        Assert.False(plan.Clients[0].For(aFiles[0]).IsDelete);
    }

    [Fact]
    public void PlanAll_MinCountsPerClientHold()
    {
        var a = Series(BackupType.FullFile, 4, bytes: GiB);
        var b = Series(BackupType.FullFile, 4, bytes: GiB, start: Day0.AddDays(100));

        var plan = CleanupPlanner.PlanAll([Client(a, RetentionPolicy.Default), Client(b, RetentionPolicy.Default)],
            SoftQuota.Parse("1G"), Context());

        Assert.Equal(a.Take(2).Concat(b.Take(2)), Deleted(plan));
        Assert.False(plan.GlobalQuota.IsMet);
        Assert.Equal(4 * GiB, plan.GlobalQuota.UsedAfter);
        var kept = plan.Clients[1].For(b[3]);
        Assert.Equal(RetentionReason.MinCount, kept.Reason);
        Assert.Equal("all clients are still above the global quota of 1 GiB (4 GiB), but full file backups are at their min count of 2", kept.Explanation);
    }

    [Fact]
    public void PlanAll_ClientQuotaFirst_GlobalSeesWhatItLeft()
    {
        var a = Series(BackupType.IncrementalFile, 6, bytes: GiB);
        var b = Series(BackupType.IncrementalFile, 4, bytes: GiB, start: Day0.AddDays(100));

        var plan = CleanupPlanner.PlanAll([Client(a, quota: SoftQuota.Parse("2G")), Client(b)], SoftQuota.Parse("5G"), Context());

        Assert.Equal(6 * GiB, plan.GlobalQuota.UsedBefore);
        Assert.Equal(a.Take(5).Concat(b.Take(0)), Deleted(plan).Take(5));
        Assert.Equal(new[] { RetentionReason.OverClientQuota, RetentionReason.OverClientQuota, RetentionReason.OverClientQuota, RetentionReason.OverClientQuota, RetentionReason.OverGlobalQuota },
            plan.Clients[0].Deletions.Select(d => d.Reason));
        Assert.Empty(plan.Clients[1].Deletions);
    }

    [Fact]
    public void PlanAll_ArchivedNeverGo()
    {
        var archived = One(BackupType.FullImage, Day0, GiB, ArchiveMark.Manual(Day0));
        var plain = Series(BackupType.FullImage, 2, bytes: GiB, start: Day0.AddDays(1));

        var plan = CleanupPlanner.PlanAll([Client([archived]), Client(plain)], SoftQuota.Parse("512M"), Context());

        Assert.Equal(plain, Deleted(plan));
        Assert.Equal(RetentionReason.Archived, plan.Clients[0].For(archived).Reason);
        Assert.False(plan.GlobalQuota.IsMet);
    }

    [Fact]
    public void PlanAll_PercentageOfCapacity()
    {
        var a = Series(BackupType.IncrementalFile, 10, bytes: GiB);

        var plan = CleanupPlanner.PlanAll([Client(a)], SoftQuota.Parse("50%"), Context(capacity: 16 * GiB));

        Assert.Equal(a.Take(2), Deleted(plan));
        Assert.Contains("above the global quota of 50% of 16 GiB (8 GiB)", plan.Deletions.First().Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanAll_ClientListedTwice_Throws()
    {
        var client = Client(Series(BackupType.FullFile, 1));

        Assert.Throws<ArgumentException>(() => CleanupPlanner.PlanAll([client, client], SoftQuota.None, Context()));
    }

    [Fact]
    public void PlanAll_NoClients_EmptyPlan()
    {
        var plan = CleanupPlanner.PlanAll([], SoftQuota.Parse("1G"), Context());

        Assert.Empty(plan.Clients);
        Assert.True(plan.GlobalQuota.IsMet);
    }

    [Fact]
    public void PlanAll_ManyClients_IsFast()
    {
        var clients = Enumerable.Range(0, 500)
            .Select(i => Client(Series(BackupType.IncrementalFile, 100, stepHours: 5, bytes: GiB, start: Day0.AddMinutes(i))
                .Concat(Series(BackupType.IncrementalImage, 20, bytes: 10 * GiB, start: Day0.AddMinutes(i)))))
            .ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var plan = CleanupPlanner.PlanAll(clients, SoftQuota.Parse("100T"), Context());

        Assert.True(plan.GlobalQuota.IsMet);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
