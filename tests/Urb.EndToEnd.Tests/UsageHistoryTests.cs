using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The daily usage history: Urb.Scheduler records a row per client and UTC day after the nightly
/// cleanup's garbage collection (or, on a day the cleanup does not run, at its first tick), and
/// Urb.Api's GetUsageHistory serves it, oldest first. The scheduler runs in-process on a fake clock.
/// </summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UsageHistoryTests(StackFixture fixture)
{
    private static readonly Dictionary<string, string?> NoGrace = new() { ["Scheduler__GarbageGrace"] = "00:00:00" };

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task CleanupsOnTwoDays_HistoryHasBothDaysOldestFirst_ForTheClientAndItsTenant()
    {
        var tenant = await Stack.CreateTenantAsync("usage-history-" + Guid.NewGuid().ToString("N")[..8]);
        var (agent, other) = (await BackupAgent.EnrollAsync(Stack, tenant), await BackupAgent.EnrollAsync(Stack, tenant));
        var source = Stack.NewSourceDirectory("usage-history");
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), new string('a', 20_000));
        await agent.BackupAsync([source]);
        await other.BackupAsync([source]);
        var dayBefore = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-2).AddHours(12), TimeSpan.Zero);
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, dayBefore, NoGrace);

        Assert.Equal("done", (await scheduler.CleanupAsync()).Status);
        await File.WriteAllTextAsync(Path.Combine(source, "b.txt"), new string('b', 10_000));
        await agent.BackupAsync([source]);
        scheduler.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal("done", (await scheduler.CleanupAsync()).Status);

        var client = await Stack.ApiUsage.GetUsageHistoryAsync(new GetUsageHistoryRequest { ClientId = agent.ClientId }, Stack.AdminHeaders);
        var whole = await Stack.ApiUsage.GetUsageHistoryAsync(new GetUsageHistoryRequest { TenantId = tenant, Days = 7 }, Stack.AdminHeaders);

        string[] dates = [Date(dayBefore), Date(dayBefore.AddDays(1))];
        Assert.Equal(dates, client.Days.Select(d => d.Date));
        Assert.Equal((1, 20_000L), (client.Days[0].Usage.IncrementalFileBackups, client.Days[0].Usage.LogicalBytes));
        Assert.Equal((2, 50_000L, 30_000L), (client.Days[1].Usage.IncrementalFileBackups, client.Days[1].Usage.LogicalBytes, client.Days[1].Usage.LatestBackupBytes));
        Assert.True(client.Days[1].Usage.DedupRatio > 0 && client.Days[1].Usage.StoredBytes > 0, $"{client}");
        // The tenant's day sums both clients' rows.
        Assert.Equal(dates, whole.Days.Select(d => d.Date));
        Assert.Equal((3, 70_000L), (whole.Days[1].Usage.IncrementalFileBackups, whole.Days[1].Usage.LogicalBytes));
    }

    [Fact]
    public async Task DayWithoutCleanup_TheFirstTickRecordsIt()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = Stack.NewSourceDirectory("usage-tick");
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), new string('t', 5_000));
        await agent.BackupAsync([source]);
        // Noon: outside the default cleanup window (3–4), on a day no other test records.
        var noon = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-100).AddHours(12), TimeSpan.Zero);
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, noon);

        Assert.Null(await scheduler.CleanupIfDueAsync());

        var history = await Stack.ApiUsage.GetUsageHistoryAsync(new GetUsageHistoryRequest { ClientId = agent.ClientId, Days = 366 }, Stack.AdminHeaders);
        var day = Assert.Single(history.Days);
        Assert.Equal(Date(noon), day.Date);
        Assert.Equal((1, 5_000L), (day.Usage.IncrementalFileBackups, day.Usage.LogicalBytes));
    }

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
