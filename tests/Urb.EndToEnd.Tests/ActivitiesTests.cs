using System.Net.Http.Headers;
using System.Security.Cryptography;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The progress of running work through Urb.Api (Activities): a backup slowed by its client's
/// bandwidth limit advances and disappears at its end; a restore shows while it streams; a
/// queued job shows its queue position; a tenant's key never sees another tenant's activity.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ActivitiesTests(StackFixture fixture)
{
    private const int MiB = 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task ListActivities_RunningBackup_AdvancesAndDisappearsAtItsEnd_AndOtherTenantsNeverSeeIt()
    {
        var tenantA = await Stack.CreateTenantAsync("act-a-" + Guid.NewGuid().ToString("N")[..8]);
        var tenantB = await Stack.CreateTenantAsync("act-b-" + Guid.NewGuid().ToString("N")[..8]);
        var agent = await BackupAgent.EnrollAsync(Stack, tenantA);
        // 16 Mbit/s: 24 MiB take about 12 s, long enough to watch; the agent reads ahead of the
        // limit by what the HTTP/2 windows hold (8 MiB at the gateway), so it reads for a while too.
        var source = NewSource("slow", files: 24, bytesEach: MiB);
        await AgentDaemons.ConfigureAsync(Stack, agent.ClientId, source, ("bandwidth_limit", "16"));
        var readerA = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantA, ApiKeyRole.TenantReader));
        var adminB = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantB, ApiKeyRole.TenantAdmin));

        var backup = agent.BackupAsync([source]);
        var seen = new List<Activity>();
        var otherTenantSaw = new List<Activity>();
        while (!backup.IsCompleted)
        {
            var own = await Stack.ApiActivities.ListActivitiesAsync(new ListActivitiesRequest(), readerA);
            seen.AddRange(own.Activities.Where(a => a.ClientId == agent.ClientId && a.Kind == ActivityKind.Backup));
            Assert.All(own.Activities, a => Assert.Equal(tenantA, a.TenantId));
            var others = await Stack.ApiActivities.ListActivitiesAsync(new ListActivitiesRequest(), adminB);
            otherTenantSaw.AddRange(others.Activities.Where(a => a.TenantId != tenantB));
            await Task.WhenAny(backup, Task.Delay(300));
        }
        var summary = await backup;

        Assert.Empty(otherTenantSaw);
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            Stack.ApiActivities.ListActivitiesAsync(new ListActivitiesRequest { ClientId = agent.ClientId }, adminB).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);

        Assert.True(seen.Count >= 3, $"the running backup was seen {seen.Count} times");
        var backupId = summary.GetProperty("backup_id").GetString();
        Assert.All(seen, a => Assert.Equal(backupId, a.Id));
        Assert.Contains(seen, a => a.ReportedByAgent);
        var reported = seen.Where(a => a.ReportedByAgent).ToList();
        Assert.Contains(reported, a => a.FilesTotal == 24 && a.BytesTotal == 24L * MiB);
        Assert.True(reported[^1].BytesDone > reported[0].BytesDone, "bytes done grows");
        Assert.True(reported[^1].FilesDone > reported[0].FilesDone, "files done grows");
        // The agent reads ahead of the limit by what the stream buffers hold, so in a backup this
        // small its reports may jump from the first file to the last: a current file is shown.
        Assert.Contains(reported, a => a.CurrentPath.StartsWith(source, StringComparison.Ordinal) && a.CurrentPath.EndsWith(".bin", StringComparison.Ordinal));
        Assert.Contains(reported, a => a.BytesPerSecond > 0);

        await WaitUntilAsync(async () => !(await ListAsync(agent.ClientId)).Any(a => a.Kind == ActivityKind.Backup), "the backup's activity disappears");
    }

    [Fact]
    public async Task ListActivities_AgentWithoutProgress_ShowsWhatTheServerReceived()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var cancel = new CancellationTokenSource(Patience);
        using var call = agent.RawClient().Run(cancellationToken: cancel.Token);
        await call.RequestStream.WriteAsync(new BackupRequest { Start = new BackupStart { Kind = BackupKind.Incremental, Paths = { "/old-agent" } } });
        Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
        var started = call.ResponseStream.Current.Started;
        var data = RandomNumberGenerator.GetBytes(300_000);
        await call.RequestStream.WriteAsync(new BackupRequest
        {
            Chunk = new ChunkUpload
            {
                Id = Google.Protobuf.ByteString.CopyFrom(Domain.Content.ChunkId.Compute(started.ChunkIdKey.Span, data)),
                Data = Google.Protobuf.ByteString.CopyFrom(data),
                EndOfChunk = true,
            },
        });

        Activity? backup = null;
        await WaitUntilAsync(async () =>
        {
            backup = (await ListAsync(agent.ClientId)).FirstOrDefault(a => a.Kind == ActivityKind.Backup && a.BytesDone > 0);
            return backup is not null;
        }, "the received object shows");
        Assert.Equal((started.BackupId, false, 1L, 300_000L), (backup!.Id, backup.ReportedByAgent, backup.FilesDone, backup.BytesDone));
        Assert.Equal((0L, 0L), (backup.FilesTotal, backup.BytesTotal));

        await cancel.CancelAsync();
        await WaitUntilAsync(async () => !(await ListAsync(agent.ClientId)).Any(), "the interrupted backup's activity disappears");
    }

    [Fact]
    public async Task ListActivities_Restore_ShowsWhileItStreams_AndDisappearsWhenItEnds()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        // More than the HTTP/2 windows between Ingest, the gateway and the agent hold, so an unread restore stalls.
        var source = NewSource("restore", files: 6, bytesEach: 12 * MiB);
        var summary = await agent.BackupAsync([source]);

        using var call = agent.RawClient().Restore(new RestoreRequest { Backup = summary.GetProperty("backup_id").GetString()!, Path = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        // The restore is not read on: flow control holds the server mid-stream, its activity stays.
        Activity? restore = null;
        await WaitUntilAsync(async () =>
        {
            restore = (await ListAsync(agent.ClientId)).FirstOrDefault(a => a.Kind == ActivityKind.Restore);
            return restore is not null;
        }, "the restore's activity appears");
        Assert.Equal((6, 72L * MiB), (restore!.FilesTotal, restore.BytesTotal));
        Assert.Equal(agent.TenantId, restore.TenantId);

        while (await call.ResponseStream.MoveNext())
        {
            // Read to the end.
        }
        await WaitUntilAsync(async () => !(await ListAsync(agent.ClientId)).Any(a => a.Kind == ActivityKind.Restore), "the restore's activity disappears");
    }

    [Fact]
    public async Task ListActivities_QueuedJob_ShowsItsQueuePosition()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await AgentDaemons.ConfigureAsync(Stack, agent.ClientId, AgentDaemons.NewSource(Stack, "queued"), ("full_file_interval", "30d"));
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow);
        await scheduler.TickAsync();

        var job = Assert.Single((await Stack.ApiJobs.ListJobsAsync(new ListClientJobsRequest { ClientId = agent.ClientId, ActiveOnly = true }, Stack.AdminHeaders)).Jobs);
        var queued = Assert.Single(await ListAsync(agent.ClientId));
        Assert.Equal((ActivityKind.Queued, job.JobId), (queued.Kind, queued.Id));
        Assert.True(queued.QueuePosition >= 1);
        Assert.Equal(job.QueuePosition, queued.QueuePosition);
    }

    [Fact]
    public async Task WatchActivities_AndEvents_SendSnapshots_ScopedToTheKeysTenant()
    {
        var tenant = await Stack.CreateTenantAsync("act-w-" + Guid.NewGuid().ToString("N")[..8]);
        var key = await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantReader);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        await AgentDaemons.ConfigureAsync(Stack, agent.ClientId, AgentDaemons.NewSource(Stack, "watched"), ("full_file_interval", "30d"));
        await using var scheduler = await SchedulerHarness.StartAsync(Stack, DateTimeOffset.UtcNow);
        await scheduler.TickAsync();

        using var cancel = new CancellationTokenSource(Patience);
        using var watch = Stack.ApiActivities.WatchActivities(new ListActivitiesRequest(), UrbStack.KeyHeaders(key), cancellationToken: cancel.Token);
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        var first = watch.ResponseStream.Current;
        Assert.Contains(first.Activities, a => a.ClientId == agent.ClientId && a.Kind == ActivityKind.Queued);
        Assert.All(first.Activities, a => Assert.Equal(tenant, a.TenantId));
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));

        using var http = new HttpClient { Timeout = Patience };
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{Stack.Ports["Urb.Api"].Http}/v1/activities/events"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        Assert.Equal("event: activities", await reader.ReadLineAsync(cancel.Token));
        var data = await reader.ReadLineAsync(cancel.Token);
        Assert.StartsWith("data: ", data);
        Assert.Contains(agent.ClientId, data);

        var unauthenticated = await http.GetAsync(new Uri($"http://127.0.0.1:{Stack.Ports["Urb.Api"].Http}/v1/activities/events"), cancel.Token);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    private async Task<IReadOnlyList<Activity>> ListAsync(string clientId) =>
        (await Stack.ApiActivities.ListActivitiesAsync(new ListActivitiesRequest { ClientId = clientId }, Stack.AdminHeaders)).Activities;

    private string NewSource(string name, int files, int bytesEach)
    {
        var source = Directory.CreateDirectory(Path.Combine(Stack.Directory, $"{name}-{Guid.NewGuid():N}", name)).FullName;
        for (var i = 0; i < files; i++) File.WriteAllBytes(Path.Combine(source, $"file-{i}.bin"), RandomNumberGenerator.GetBytes(bytesEach));
        return source;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(250);
        }
    }
}
