using Urb.Domain.Retention;

namespace Urb.Domain.Tests.Retention;

/// <summary>Backup records and contexts for the retention tests; ids are unique and ascending.</summary>
internal static class Backups
{
    public static readonly DateTimeOffset Day0 = new(2024, 1, 1, 3, 0, 0, TimeSpan.Zero);

    private static int _next;

    public static Guid NextId()
    {
        var n = Interlocked.Increment(ref _next);
        return new Guid(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static BackupRecord One(BackupType type, DateTimeOffset finished, long bytes = 1, ArchiveMark? archive = null) =>
        new(NextId(), type, finished, bytes, archive);

    /// <summary><paramref name="count"/> backups, oldest first, one every <paramref name="stepHours"/> hours from <paramref name="start"/> (default <see cref="Day0"/>).</summary>
    public static List<BackupRecord> Series(BackupType type, int count, double stepHours = 24, long bytes = 1, DateTimeOffset? start = null) =>
        Enumerable.Range(0, count).Select(i => One(type, (start ?? Day0).AddHours(i * stepHours), bytes)).ToList();

    public static CleanupContext Context(DateTimeOffset? now = null, TimeZoneInfo? zone = null, long? capacity = null) =>
        new(now ?? Day0.AddYears(1), zone ?? TimeZoneInfo.Utc, capacity);

    public static ClientCleanupPlan Plan(IEnumerable<BackupRecord> backups, RetentionPolicy? policy = null, SoftQuota? quota = null, CleanupContext? context = null) =>
        CleanupPlanner.PlanClient(new ClientCleanupInput(Guid.NewGuid(), backups.ToList(), policy, quota), context ?? Context());

    public static List<BackupRecord> Deleted(this ClientCleanupPlan plan) => plan.Deletions.Select(d => d.Backup).ToList();

    public static RetentionDecision For(this ClientCleanupPlan plan, BackupRecord backup) =>
        plan.Decisions.Single(d => d.Backup.Id == backup.Id);

    public static TimeZoneInfo Berlin => TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static TimeZoneInfo NewYork => TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public const long GiB = 1L << 30;
}
