using Grpc.Core;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Scheduler.V1;
using Urb.EndToEnd.Tests.Infrastructure;
using Snapshot = Urb.Contracts.Agent.V1.Snapshot;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Urb.Scheduler's dispatch against the real stack with a fake clock: due backups start through
/// the agents' control streams, one job per client and at most max_running_jobs at once; an
/// offline client's job waits for its agent; windows hold backups back and cancel queued ones;
/// the jobs are visible through Urb.Api, a tenant's key seeing its own only. Scheduled backups
/// are off for the installation in tests (UrbStack), so only these clients are ever due.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SchedulerTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task DueBackups_StartOnTheConnectedAgent_FullFirst_ThenIncrementalAfterItsInterval()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await ScheduleAsync(agent.ClientId, ("incremental_file_interval", "5h"), ("full_file_interval", "30d"));
        await using var daemon = AgentDaemons.Start(agent);
        await AgentDaemons.WaitUntilAsync(() => AgentDaemons.ConnectedAsync(Stack, agent.ClientId), daemon, "the daemon connects");
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow);

        await scheduler.TickAsync();
        var full = await WaitForJobAsync(agent.ClientId, 1, daemon);
        Assert.Equal((JobKind.FullFile, Contracts.Scheduler.V1.JobStatus.Done), (full.Kind, full.Status));
        Assert.Contains("no full file backup yet", full.Reason);
        Assert.Equal((await SnapshotsAsync(agent.ClientId)).Single().BackupId, full.BackupId);

        scheduler.Clock.Advance(TimeSpan.FromHours(1));
        await scheduler.TickAsync();
        Assert.Single(await JobsAsync(agent.ClientId));
        Assert.True(scheduler.Logs.Contains("incremental file: next due"), string.Join('\n', scheduler.Logs.Lines));

        scheduler.Clock.Advance(TimeSpan.FromHours(4.5));
        await scheduler.TickAsync();
        var incremental = await WaitForJobAsync(agent.ClientId, 2, daemon);
        Assert.Equal((JobKind.IncrementalFile, Contracts.Scheduler.V1.JobStatus.Done), (incremental.Kind, incremental.Status));
        Assert.Contains("interval 5h", incremental.Reason);
        var snapshots = await SnapshotsAsync(agent.ClientId);
        Assert.Equal(2, snapshots.Count);
        Assert.Equal(Contracts.Agent.V1.BackupKind.Incremental, snapshots[0].Kind);
    }

    [Fact]
    public async Task ATick_ReadsTheClientsOnce_AndTheNextTickReadsThemAgain()
    {
        var first = await BackupAgent.EnrollAsync(Stack);
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow);

        var (dispatch, cleanup) = await scheduler.PlanningInputsTwiceInOneTickAsync();
        Assert.Same(dispatch, cleanup);
        Assert.Contains(dispatch.Clients, c => c.ClientId == Guid.Parse(first.ClientId));

        var second = await BackupAgent.EnrollAsync(Stack);
        var (next, _) = await scheduler.PlanningInputsTwiceInOneTickAsync();
        Assert.NotSame(dispatch, next);
        Assert.Contains(next.Clients, c => c.ClientId == Guid.Parse(second.ClientId));
        Assert.DoesNotContain(dispatch.Clients, c => c.ClientId == Guid.Parse(second.ClientId));
    }

    [Fact]
    public async Task OfflineClient_WaitsQueued_AndGetsItsBackupWhenItsAgentConnects()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await ScheduleAsync(agent.ClientId, ("full_file_interval", "30d"));
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow);

        await scheduler.TickAsync();
        await scheduler.TickAsync();
        var queued = Assert.Single(await JobsAsync(agent.ClientId, activeOnly: true));
        Assert.Equal(Contracts.Scheduler.V1.JobStatus.Queued, queued.Status);
        Assert.True(queued.QueuePosition >= 1);
        Assert.Empty(queued.CommandId);

        await using var daemon = AgentDaemons.Start(agent);
        await AgentDaemons.WaitUntilAsync(() => AgentDaemons.ConnectedAsync(Stack, agent.ClientId), daemon, "the daemon connects");
        await scheduler.TickAsync();
        var done = await WaitForJobAsync(agent.ClientId, 1, daemon);
        Assert.Equal(queued.JobId, done.JobId);
        Assert.Equal(Contracts.Scheduler.V1.JobStatus.Done, done.Status);
        Assert.Single(await SnapshotsAsync(agent.ClientId));
    }

    [Fact]
    public async Task Window_HoldsTheBackupBackUntilItOpens_AndAQueuedJobIsCancelledWhenItCloses()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await ScheduleAsync(agent.ClientId, ("full_file_interval", "30d"), ("full_file_window", "1-7/8-9"), ("incremental_file_window", "1-7/8-9"));
        var tomorrow = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1), TimeSpan.Zero);
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, tomorrow.AddHours(2));

        await scheduler.TickAsync();
        Assert.Empty(await JobsAsync(agent.ClientId));
        Assert.True(scheduler.Logs.Contains("outside its window '1-7/8-9'"), string.Join('\n', scheduler.Logs.Lines));

        scheduler.Clock.Advance(TimeSpan.FromHours(6));
        await scheduler.TickAsync();
        var queued = Assert.Single(await JobsAsync(agent.ClientId));
        Assert.Equal(Contracts.Scheduler.V1.JobStatus.Queued, queued.Status);

        scheduler.Clock.Advance(TimeSpan.FromMinutes(90));
        await scheduler.TickAsync();
        var cancelled = Assert.Single(await JobsAsync(agent.ClientId));
        Assert.Equal((queued.JobId, Contracts.Scheduler.V1.JobStatus.Cancelled), (cancelled.JobId, cancelled.Status));
        Assert.Contains("no longer due", cancelled.Outcome);
        Assert.Contains("outside its window", cancelled.Outcome);
    }

    [Fact]
    public async Task MaxRunningJobs_StartsOneAtATime_AndTheOtherWhenASlotFrees()
    {
        await SetGlobalAsync("max_running_jobs", "1");
        try
        {
            var first = await BackupAgent.EnrollAsync(Stack);
            var second = await BackupAgent.EnrollAsync(Stack);
            await ScheduleAsync(first.ClientId, ("full_file_interval", "30d"));
            await ScheduleAsync(second.ClientId, ("full_file_interval", "30d"));
            await using var firstDaemon = AgentDaemons.Start(first);
            await using var secondDaemon = AgentDaemons.Start(second);
            await AgentDaemons.WaitUntilAsync(async () => await AgentDaemons.ConnectedAsync(Stack, first.ClientId)
                && await AgentDaemons.ConnectedAsync(Stack, second.ClientId), firstDaemon, "both daemons connect");
            await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow);

            var tick = await scheduler.TickAsync();
            Assert.Equal(1, tick.Started);
            var jobs = (await JobsAsync(first.ClientId)).Concat(await JobsAsync(second.ClientId)).ToList();
            Assert.Equal(2, jobs.Count);
            var waiting = Assert.Single(jobs, j => j.Status == Contracts.Scheduler.V1.JobStatus.Queued);
            var started = Assert.Single(jobs, j => j.JobId != waiting.JobId);
            var (startedDaemon, waitingDaemon) = started.ClientId == first.ClientId ? (firstDaemon, secondDaemon) : (secondDaemon, firstDaemon);

            await WaitForJobAsync(started.ClientId, 1, startedDaemon);
            Assert.Equal(Contracts.Scheduler.V1.JobStatus.Queued, (await JobsAsync(waiting.ClientId)).Single().Status);
            await scheduler.TickAsync();
            var later = await WaitForJobAsync(waiting.ClientId, 1, waitingDaemon);
            Assert.Equal((waiting.JobId, Contracts.Scheduler.V1.JobStatus.Done), (later.JobId, later.Status));
        }
        finally
        {
            await Stack.ApiSettings.UpdateSettingsAsync(new UpdateSettingsRequest { Scope = new SettingsScope { Global = true }, Clear = { "max_running_jobs" } }, Stack.AdminHeaders);
        }
    }

    [Fact]
    public async Task Jobs_ThroughTheApi_ATenantKeySeesItsOwnOnly()
    {
        var tenantA = await Stack.CreateTenantAsync("jobs-a-" + Guid.NewGuid().ToString("N")[..8]);
        var tenantB = await Stack.CreateTenantAsync("jobs-b-" + Guid.NewGuid().ToString("N")[..8]);
        var agent = await BackupAgent.EnrollAsync(Stack, tenantA);
        await ScheduleAsync(agent.ClientId, ("full_file_interval", "30d"));
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow);
        await scheduler.TickAsync();
        var readerA = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantA, ApiKeyRole.TenantReader));
        var adminB = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantB, ApiKeyRole.TenantAdmin));

        var ownJobs = (await Stack.ApiJobs.ListJobsAsync(new ListClientJobsRequest(), readerA)).Jobs;
        Assert.Contains(ownJobs, j => j.ClientId == agent.ClientId);
        Assert.All(ownJobs, j => Assert.Equal(tenantA, j.TenantId));

        var othersJobs = (await Stack.ApiJobs.ListJobsAsync(new ListClientJobsRequest(), adminB)).Jobs;
        Assert.DoesNotContain(othersJobs, j => j.TenantId != tenantB);
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            Stack.ApiJobs.ListJobsAsync(new ListClientJobsRequest { ClientId = agent.ClientId }, adminB).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        var badLimit = await Assert.ThrowsAsync<RpcException>(() =>
            Stack.ApiJobs.ListJobsAsync(new ListClientJobsRequest { Limit = 5000 }, readerA).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badLimit.StatusCode);
    }

    [Fact]
    public async Task ImageVolumes_GiveTheClientAFullImageJob_ItStaysQueuedWhenAFileBackupBecomesDue()
    {
        var imaging = await BackupAgent.EnrollAsync(Stack);
        var plain = await BackupAgent.EnrollAsync(Stack);
        await Stack.ApiSettings.UpdateSettingsAsync(new UpdateSettingsRequest
        {
            Scope = new SettingsScope { ClientId = imaging.ClientId },
            Set =
            {
                new Contracts.Settings.V1.Setting { Key = "image_volumes", Value = new Contracts.Settings.V1.SettingValue { Items = { "/dev/urb-test-volume" } } },
                new Contracts.Settings.V1.Setting { Key = "full_image_interval", Value = new Contracts.Settings.V1.SettingValue { Text = "60d" } },
            },
        }, Stack.AdminHeaders);
        await ScheduleAsync(plain.ClientId, ("full_image_interval", "60d"));
        // Both offline, so the job waits in the queue; the plain client has an image interval too, but no volumes.
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow);

        await scheduler.TickAsync();
        var queued = Assert.Single(await JobsAsync(imaging.ClientId));
        Assert.Equal((JobKind.FullImage, Contracts.Scheduler.V1.JobStatus.Queued), (queued.Kind, queued.Status));
        Assert.Contains("full image due: no full image backup yet", queued.Reason);
        Assert.Empty(await JobsAsync(plain.ClientId));

        await ScheduleAsync(imaging.ClientId, ("full_file_interval", "30d"));
        scheduler.Clock.Advance(TimeSpan.FromMinutes(5));
        await scheduler.TickAsync();
        var still = Assert.Single(await JobsAsync(imaging.ClientId));
        Assert.Equal((queued.JobId, Contracts.Scheduler.V1.JobStatus.Queued), (still.JobId, still.Status));
    }

    private async Task ScheduleAsync(string clientId, params (string Key, string Text)[] values)
    {
        // Only what the test names is scheduled: the installation's intervals are off in tests.
        await AgentDaemons.ConfigureAsync(Stack, clientId, AgentDaemons.NewSource(Stack, "scheduled"), values);
    }

    private async Task SetGlobalAsync(string key, string text) =>
        await Stack.ApiSettings.UpdateSettingsAsync(new UpdateSettingsRequest
        {
            Scope = new SettingsScope { Global = true },
            Set = { new Contracts.Settings.V1.Setting { Key = key, Value = new Contracts.Settings.V1.SettingValue { Text = text } } },
        }, Stack.AdminHeaders);

    private async Task<IReadOnlyList<Job>> JobsAsync(string clientId, bool activeOnly = false) =>
        (await Stack.ApiJobs.ListJobsAsync(new ListClientJobsRequest { ClientId = clientId, ActiveOnly = activeOnly }, Stack.AdminHeaders)).Jobs;

    /// <summary>Waits until the client has <paramref name="count"/> jobs and the newest has ended; returns it.</summary>
    private async Task<Job> WaitForJobAsync(string clientId, int count, ChildProcess daemon)
    {
        Job? newest = null;
        await AgentDaemons.WaitUntilAsync(async () =>
        {
            var jobs = await JobsAsync(clientId);
            newest = jobs.Count > 0 ? jobs[0] : null;
            return jobs.Count == count && newest!.Status is not (Contracts.Scheduler.V1.JobStatus.Queued or Contracts.Scheduler.V1.JobStatus.Running);
        }, daemon, $"job {count} of the client ends");
        return newest!;
    }

    private async Task<IReadOnlyList<Snapshot>> SnapshotsAsync(string clientId) =>
        (await Stack.ApiSnapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientId }, Stack.AdminHeaders)).Snapshots;
}
