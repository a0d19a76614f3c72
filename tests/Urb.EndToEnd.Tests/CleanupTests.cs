using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;
using Snapshot = Urb.Contracts.Agent.V1.Snapshot;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The nightly cleanup of Urb.Scheduler against the real stack: retention by count keeps
/// archived backups and the min counts, a soft quota deletes the oldest backups down to the min
/// counts, archival rules archive the newest backup; what is left restores byte for byte after
/// the garbage collection that follows. Each decision is logged with its reason.
/// </summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CleanupTests(StackFixture fixture)
{
    private static readonly Dictionary<string, string?> NoGrace = new() { ["Scheduler__GarbageGrace"] = "00:00:00" };

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task RetentionByCount_DeletesTheOldestBeyondMax_KeepsArchivedOnes_AndTheRestRestores()
    {
        var (agent, source) = await ClientWithBackupsAsync(incrementals: 4,
            ("min_incremental_file_backups", "1"), ("max_incremental_file_backups", "2"), ("min_full_file_backups", "0"), ("max_full_file_backups", "1"));
        var before = await SnapshotsAsync(agent.ClientId);
        var incrementals = before.Where(s => s.Kind == Contracts.Agent.V1.BackupKind.Incremental).Reverse().ToList();
        var archived = incrementals[0];
        await Stack.ApiSnapshots.ArchiveSnapshotAsync(new ArchiveSnapshotRequest { ClientId = agent.ClientId, BackupId = archived.BackupId }, Stack.AdminHeaders);
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow, NoGrace);

        var run = await scheduler.CleanupAsync();

        Assert.Equal("done", run.Status);
        var after = await SnapshotsAsync(agent.ClientId);
        // Four incrementals: one archived (it does not count), the oldest other one over max 2 goes.
        Assert.Equal(before.Select(s => s.BackupId).Except([incrementals[1].BackupId]).Order(), after.Select(s => s.BackupId).Order());
        Assert.NotNull(after.Single(s => s.BackupId == archived.BackupId).Archive);
        Assert.True(scheduler.Logs.Contains(incrementals[1].BackupId), string.Join('\n', scheduler.Logs.Lines));
        Assert.True(scheduler.Logs.Contains("Garbage collection:"), string.Join('\n', scheduler.Logs.Lines));

        var restored = Path.Combine(Stack.Directory, "cleanup-restored-" + Guid.NewGuid().ToString("N")[..8]);
        (await agent.RestoreAsync("latest", Path.GetFileName(source), restored)).EnsureSuccess();
        Assert.Empty(TreeComparison.Differences(source, restored));
        var oldest = Path.Combine(Stack.Directory, "cleanup-archived-" + Guid.NewGuid().ToString("N")[..8]);
        (await agent.RestoreAsync(archived.BackupId, Path.GetFileName(source), oldest)).EnsureSuccess();
        Assert.True(File.Exists(Path.Combine(oldest, "file.txt")));
    }

    [Fact]
    public async Task SoftQuota_DeletesOldestBackupsDownToTheMinCounts_AndArchivalRulesArchiveTheNewest()
    {
        var (agent, _) = await ClientWithBackupsAsync(incrementals: 3,
            ("min_incremental_file_backups", "1"), ("min_full_file_backups", "1"), ("soft_client_quota", "1K"));
        await Stack.ApiSettings.UpdateSettingsAsync(new UpdateSettingsRequest
        {
            Scope = new SettingsScope { ClientId = agent.ClientId },
            Set = { new Contracts.Settings.V1.Setting { Key = "archive_rules", Value = new Contracts.Settings.V1.SettingValue { Items = { "every 1d keep 7d of full-file" } } } },
        }, Stack.AdminHeaders);
        var before = await SnapshotsAsync(agent.ClientId);
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow, NoGrace);

        var run = await scheduler.CleanupAsync();

        Assert.Equal("done", run.Status);
        var after = await SnapshotsAsync(agent.ClientId);
        // The full backup is archived by the rule; of three incrementals the two oldest go (min 1).
        var full = Assert.Single(after, s => s.Kind == Contracts.Agent.V1.BackupKind.Full);
        Assert.Equal("every 1d keep 7d of full-file", full.Archive?.RuleId);
        Assert.Equal(before[0].BackupId, Assert.Single(after, s => s.Kind == Contracts.Agent.V1.BackupKind.Incremental).BackupId);
        Assert.True(scheduler.Logs.Contains("above its quota of"), string.Join('\n', scheduler.Logs.Lines));
        Assert.Equal((1, 2), (run.BackupsArchived, run.BackupsDeleted));
    }

    [Fact]
    public async Task NightlyCleanup_RunsOncePerOpeningOfItsWindow()
    {
        // The default cleanup_window is 1-7/3-4, in the scheduler's zone (UTC here).
        var night = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(2), TimeSpan.Zero);
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, night.AddHours(2));

        Assert.Null(await scheduler.CleanupIfDueAsync());
        scheduler.Clock.Advance(TimeSpan.FromMinutes(70));
        var first = await scheduler.CleanupIfDueAsync();
        Assert.Equal("done", first?.Status);
        scheduler.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Null(await scheduler.CleanupIfDueAsync());
        scheduler.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Null(await scheduler.CleanupIfDueAsync());
        scheduler.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("done", (await scheduler.CleanupIfDueAsync())?.Status);
    }

    /// <summary>A client with the settings, a full backup and then <paramref name="incrementals"/> incremental ones, each after a change.</summary>
    private async Task<(BackupAgent Agent, string Source)> ClientWithBackupsAsync(int incrementals, params (string Key, string Text)[] settings)
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = AgentDaemons.NewSource(Stack, "cleanup");
        await AgentDaemons.ConfigureAsync(Stack, agent.ClientId, source, settings);
        await agent.BackupAsync([source], full: true);
        for (var i = 0; i < incrementals; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(source, $"change-{i}.txt"), new string('x', 10_000 + i));
            await agent.BackupAsync([source]);
        }
        return (agent, source);
    }

    private async Task<IReadOnlyList<Snapshot>> SnapshotsAsync(string clientId) =>
        (await Stack.ApiSnapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientId }, Stack.AdminHeaders)).Snapshots;
}
