using Microsoft.Extensions.Time.Testing;
using Urb.Domain.Retention;

namespace Urb.Domain.Tests.Retention;

/// <summary>Archival and cleanup applied night after night, the way the scheduler will use them.</summary>
public sealed class NightlySimulationTests
{
    [Fact]
    public void NinetyNights_WeeklyArchivesHoldAndNeverGo()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 1, 2, 0, 0, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var rule = ArchivalRule.Parse("every 7d keep 30d");
        var policy = RetentionPolicy.Default.With(BackupType.IncrementalFile, new CountLimits(2, 10));
        var backups = new List<BackupRecord>();
        var stored = new Dictionary<string, DateTimeOffset>();
        var archiveTimes = new List<DateTimeOffset>();
        var everDeleted = new HashSet<Guid>();

        for (var night = 0; night < 90; night++)
        {
            // A backup finishes at 02:00, and the cleanup starts up to 20 minutes either side of 03:00.
            backups.Add(new BackupRecord(Guid.NewGuid(), BackupType.IncrementalFile, clock.GetUtcNow(), 1));
            var jitter = TimeSpan.FromMinutes(night * 7 % 41 - 20);
            clock.Advance(TimeSpan.FromHours(1) + jitter);
            var context = CleanupContext.FromClock(clock);

            var archival = ArchivalPlanner.Plan([rule], backups, context, stored);
            foreach (var expiry in archival.Expire)
            {
                backups[backups.FindIndex(b => b.Id == expiry.Backup.Id)] = expiry.Backup.Unarchived();
            }
            foreach (var decision in archival.Archive)
            {
                backups[backups.FindIndex(b => b.Id == decision.Backup.Id)] = decision.Backup.WithArchive(decision.Mark);
                stored[decision.Rule.Id] = decision.Mark.ArchivedAt;
                archiveTimes.Add(decision.Mark.ArchivedAt);
            }
            var cleanup = CleanupPlanner.PlanClient(new ClientCleanupInput(Guid.Empty, backups, policy), context);
            Assert.DoesNotContain(cleanup.Deletions, d => d.Backup.IsArchivedAt(context.Now));
            everDeleted.UnionWith(cleanup.Deletions.Select(d => d.Backup.Id));
            backups.RemoveAll(b => everDeleted.Contains(b.Id));

            Assert.InRange(backups.Count(b => b.IsArchivedAt(context.Now)), 1, 5);
            Assert.InRange(backups.Count(b => !b.IsArchivedAt(context.Now)), 0, 10);
            Assert.All(backups, b => Assert.True(b.Archive is null || b.IsArchivedAt(context.Now), "a mark that ran out was cleared"));
            clock.Advance(TimeSpan.FromHours(23) - jitter);
        }

        Assert.Equal(13, archiveTimes.Count);
        Assert.All(archiveTimes.Zip(archiveTimes.Skip(1)), pair =>
            Assert.InRange(pair.Second - pair.First, TimeSpan.FromDays(7) - TimeSpan.FromHours(1), TimeSpan.FromDays(7) + TimeSpan.FromHours(1)));
        Assert.Equal(90, backups.Count + everDeleted.Count);
        Assert.Equal(10, backups.Count(b => b.Archive is null));
    }
}
