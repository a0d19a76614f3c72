using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Core;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The live log through Urb.Api (LiveLog, and Server-Sent Events at /v1/log/events): a tenant key
/// sees its tenant's events only, never another tenant's or installation-wide ones; Follow sends
/// history, then events published after it started; levels filter; SSE ids resume; and Urb.Ingest
/// reports backups and restores.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LiveLogTests(StackFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task TenantKeys_SeeOnlyTheirTenantsEvents_InListRecentAndFollow_WhileBothTenantsBackUp()
    {
        var tenantA = await Stack.CreateTenantAsync("log-a-" + Guid.NewGuid().ToString("N")[..8]);
        var tenantB = await Stack.CreateTenantAsync("log-b-" + Guid.NewGuid().ToString("N")[..8]);
        var agentA = await BackupAgent.EnrollAsync(Stack, tenantA);
        var agentB = await BackupAgent.EnrollAsync(Stack, tenantB);
        var readerA = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantA, ApiKeyRole.TenantReader));
        var installationWide = "installation-wide " + Guid.NewGuid();
        await AddAsync("", "", "warning", installationWide);

        using var cancel = new CancellationTokenSource(Patience);
        using var follow = Stack.ApiLiveLog.Follow(
            new FollowLogRequest { Filter = new LogFilter { MinLevel = LogLevel.Debug }, History = 1000 }, readerA, cancellationToken: cancel.Token);
        await Task.WhenAll(
            agentA.BackupAsync([AgentDaemons.NewSource(Stack, "log-a")]),
            agentB.BackupAsync([AgentDaemons.NewSource(Stack, "log-b")]));

        var followed = await ReadUntilAsync(follow, e => e.ClientId == agentA.ClientId && e.Message.Contains(" completed: ", StringComparison.Ordinal), cancel.Token);
        Assert.All(followed, e => Assert.Equal(tenantA, e.TenantId));
        Assert.Contains(followed, e => e.ClientId == agentA.ClientId && e.Message.Contains("enrolled", StringComparison.Ordinal));

        var recent = (await Stack.ApiLiveLog.ListRecentAsync(
            new ListRecentLogRequest { Filter = new LogFilter { MinLevel = LogLevel.Debug }, Limit = 1000 }, readerA)).Events;
        Assert.All(recent, e => Assert.Equal(tenantA, e.TenantId));
        Assert.Contains(recent, e => e.ClientId == agentA.ClientId && e.Message.Contains(" started ", StringComparison.Ordinal));
        Assert.DoesNotContain(recent, e => e.Message == installationWide);

        // The other tenant has its own lines, and a global admin sees everything, installation-wide too.
        var all = (await Stack.ApiLiveLog.ListRecentAsync(new ListRecentLogRequest { Limit = 1000 }, Stack.AdminHeaders)).Events;
        Assert.Contains(all, e => e.ClientId == agentB.ClientId && e.TenantId == tenantB && e.Message.Contains(" completed: ", StringComparison.Ordinal));
        Assert.Contains(all, e => e.Message == installationWide && e.TenantId == "");
        Assert.True(all.Select(e => e.Id).SequenceEqual(all.Select(e => e.Id).Order(StreamIdOrder.Instance)), "oldest first");
    }

    [Fact]
    public async Task TenantKey_NamingAnotherTenantOrItsClient_IsNotFound_AndBadFieldsAreNamed()
    {
        var tenantA = await Stack.CreateTenantAsync("log-nf-a-" + Guid.NewGuid().ToString("N")[..8]);
        var tenantB = await Stack.CreateTenantAsync("log-nf-b-" + Guid.NewGuid().ToString("N")[..8]);
        var clientB = await Stack.CreateClientAsync("log-nf-" + Guid.NewGuid().ToString("N")[..8], tenantId: tenantB);
        var adminA = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantA, ApiKeyRole.TenantAdmin));

        await RpcAssert.StatusAsync(StatusCode.NotFound, () => Stack.ApiLiveLog.ListRecentAsync(
            new ListRecentLogRequest { Filter = new LogFilter { ClientId = clientB.Client.Id } }, adminA));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => Stack.ApiLiveLog.ListRecentAsync(
            new ListRecentLogRequest { Filter = new LogFilter { TenantId = tenantB } }, adminA));
        using var follow = Stack.ApiLiveLog.Follow(new FollowLogRequest { Filter = new LogFilter { ClientId = clientB.Client.Id } }, adminA);
        var refused = await Assert.ThrowsAsync<RpcException>(() => follow.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);

        await RpcAssert.InvalidArgumentAsync("limit", () => Stack.ApiLiveLog.ListRecentAsync(new ListRecentLogRequest { Limit = 1001 }, adminA));
        await RpcAssert.InvalidArgumentAsync("filter.tenant_id", () => Stack.ApiLiveLog.ListRecentAsync(
            new ListRecentLogRequest { Filter = new LogFilter { TenantId = "not-a-uuid" } }, adminA));
        await RpcAssert.InvalidArgumentAsync("filter.min_level", () => Stack.ApiLiveLog.ListRecentAsync(
            new ListRecentLogRequest { Filter = new LogFilter { MinLevel = (LogLevel)9 } }, adminA));
        using var badResume = Stack.ApiLiveLog.Follow(new FollowLogRequest { AfterId = "12-x" }, adminA);
        var invalid = await Assert.ThrowsAsync<RpcException>(() => badResume.ResponseStream.MoveNext());
        Assert.Equal((StatusCode.InvalidArgument, "after_id"), (invalid.StatusCode, ErrorDetails.FieldOf(invalid)));
    }

    [Fact]
    public async Task Follow_SendsHistory_ThenEventsOfABackupStartedAfterIt()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var cancel = new CancellationTokenSource(Patience);
        using var follow = Stack.ApiLiveLog.Follow(
            new FollowLogRequest { Filter = new LogFilter { ClientId = agent.ClientId }, History = 10 }, Stack.AdminHeaders, cancellationToken: cancel.Token);
        // The history arrives before anything happens: the client was created and enrolled.
        Assert.True(await follow.ResponseStream.MoveNext(cancel.Token));
        Assert.Matches("^Client agent-.* created$", follow.ResponseStream.Current.Message);

        var summary = await agent.BackupAsync([AgentDaemons.NewSource(Stack, "log-follow")]);
        var backupId = summary.GetProperty("backup_id").GetString();
        var events = await ReadUntilAsync(follow, e => e.Message.StartsWith($"Backup {backupId} completed", StringComparison.Ordinal), cancel.Token);

        Assert.Contains(events, e => e.Message == $"Backup {backupId} started (incremental, 1 path)" && e.Service == "Urb.Ingest" && e.Level == LogLevel.Info);
        var completed = events[^1];
        Assert.Matches(@"^Backup \S+ completed: 1 file \(1 new, 0 changed\), \d+ B, \d+ B new, in \d+\.\d s$", completed.Message);
        Assert.All(events, e => Assert.Equal(agent.ClientId, e.ClientId));
    }

    [Fact]
    public async Task Restore_IsReported_StartedAndFinished()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var summary = await agent.BackupAsync([AgentDaemons.NewSource(Stack, "log-restore")]);
        var backupId = summary.GetProperty("backup_id").GetString()!;
        (await agent.RestoreAsync(backupId, "log-restore", Path.Combine(Stack.Directory, "restored-" + Guid.NewGuid().ToString("N")[..8]))).EnsureSuccess();

        var events = await WaitForAsync(new LogFilter { ClientId = agent.ClientId }, e => e.Message.Contains("finished", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Message == $"Restore from backup {backupId} started: log-restore, 1 file, 11 B");
        Assert.Contains(events, e => e.Message.StartsWith($"Restore from backup {backupId} finished: 1 file, 11 B in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InterruptedBackup_AndGarbageCollection_AreReported()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using (var cancel = new CancellationTokenSource(Patience))
        {
            using var call = agent.RawClient().Run(cancellationToken: cancel.Token);
            await call.RequestStream.WriteAsync(new Contracts.Agent.V1.BackupRequest
            {
                Start = new Contracts.Agent.V1.BackupStart { Kind = Contracts.Agent.V1.BackupKind.Full, Paths = { "/gone" } },
            });
            Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
            await cancel.CancelAsync();
        }
        var interrupted = await WaitForAsync(new LogFilter { ClientId = agent.ClientId }, e => e.Message.Contains(" interrupted: ", StringComparison.Ordinal));
        Assert.Contains(interrupted, e => e.Message.Contains("started (full, 1 path)", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, interrupted.Single(e => e.Message.Contains(" interrupted: ", StringComparison.Ordinal)).Level);

        // A collection of the tenant is a tenant event (no client).
        await agent.BackupAsync([AgentDaemons.NewSource(Stack, "log-gc")]);
        var collector = new Contracts.Ingest.V1.GarbageCollector.GarbageCollectorClient(Stack.Channel(Stack.Ports["Urb.Ingest"].GrpcAddress));
        await collector.CollectGarbageAsync(new Contracts.Ingest.V1.CollectGarbageRequest { TenantId = agent.TenantId });
        var collected = await WaitForAsync(new LogFilter { TenantId = agent.TenantId }, e => e.Message.StartsWith("Garbage collection: ", StringComparison.Ordinal));
        var line = collected.Last(e => e.Message.StartsWith("Garbage collection: ", StringComparison.Ordinal));
        Assert.Equal(("", "Urb.Ingest"), (line.ClientId, line.Service));
        Assert.Matches(@"^Garbage collection: \d+ snapshots? marked; objects \d+ condemned", line.Message);
    }

    [Fact]
    public async Task Backup_Succeeds_WhileRedisIsDown()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = AgentDaemons.NewSource(Stack, "log-down");
        await Stack.Redis.StopAsync();
        try
        {
            var summary = await agent.BackupAsync([source]);
            Assert.False(string.IsNullOrEmpty(summary.GetProperty("backup_id").GetString()));
        }
        finally
        {
            await Stack.Redis.StartAgainAsync();
        }
    }

    [Fact]
    public async Task MinLevel_LeavesOutLowerLevels_AndUnspecifiedMeansInfo()
    {
        var tenant = await Stack.CreateTenantAsync("log-level-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var level in new[] { "debug", "info", "warning", "error" }) await AddAsync(tenant, "", level, $"a {level} line");

        async Task<string[]> LevelsAsync(LogLevel min) =>
            (await Stack.ApiLiveLog.ListRecentAsync(new ListRecentLogRequest { Filter = new LogFilter { TenantId = tenant, MinLevel = min } }, Stack.AdminHeaders))
                .Events.Select(e => e.Message).ToArray();

        Assert.Equal(["a warning line", "a error line"], await LevelsAsync(LogLevel.Warning));
        Assert.Equal(["a info line", "a warning line", "a error line"], await LevelsAsync(LogLevel.Unspecified));
        Assert.Equal(4, (await LevelsAsync(LogLevel.Debug)).Length);
        var limited = await Stack.ApiLiveLog.ListRecentAsync(new ListRecentLogRequest { Filter = new LogFilter { TenantId = tenant }, Limit = 2 }, Stack.AdminHeaders);
        Assert.Equal(["a warning line", "a error line"], limited.Events.Select(e => e.Message));

        // The same over REST (transcoded): GET /v1/log.
        using var http = new HttpClient { Timeout = Patience };
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{ApiHttp}/v1/log?filter.tenantId={tenant}&filter.minLevel=LOG_LEVEL_ERROR"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Stack.AdminKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("a error line", Assert.Single(body.RootElement.GetProperty("events").EnumerateArray()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Events_AreServerSentEventsWithIds_LastEventIdResumes_AndNeedAKey()
    {
        var tenant = await Stack.CreateTenantAsync("log-sse-" + Guid.NewGuid().ToString("N")[..8]);
        var key = await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantReader);
        // The key's own "created" line is published fire-and-forget: let it land before the test's lines.
        await WaitForAsync(new LogFilter { TenantId = tenant }, e => e.Message.StartsWith("API key ", StringComparison.Ordinal));
        for (var i = 1; i <= 3; i++) await AddAsync(tenant, "", "info", $"line {i}");
        using var http = new HttpClient { Timeout = Patience };
        using var cancel = new CancellationTokenSource(Patience);

        var (first, reader, response) = await OpenAsync(http, key, "?history=3&minLevel=info", lastEventId: null, cancel.Token);
        using (response)
        using (reader)
        {
            var events = new List<(string Id, JsonElement Data)> { first };
            while (events.Count < 3) events.Add(await NextEventAsync(reader, cancel.Token));
            Assert.Equal(["line 1", "line 2", "line 3"], events.Select(e => e.Data.GetProperty("message").GetString()));
            Assert.All(events, e => Assert.Equal(e.Id, e.Data.GetProperty("id").GetString()));
            Assert.All(events, e => Assert.Equal("LOG_LEVEL_INFO", e.Data.GetProperty("level").GetString()));

            // Live: a line published now arrives on the open stream.
            await AddAsync(tenant, "", "info", "line 4");
            Assert.Equal("line 4", (await NextEventAsync(reader, cancel.Token)).Data.GetProperty("message").GetString());

            var (resumed, resumedReader, resumedResponse) = await OpenAsync(http, key, "?history=100", events[1].Id, cancel.Token);
            using (resumedResponse)
            using (resumedReader)
            {
                Assert.Equal("line 3", resumed.Data.GetProperty("message").GetString());
                Assert.Equal("line 4", (await NextEventAsync(resumedReader, cancel.Token)).Data.GetProperty("message").GetString());
            }
        }

        var unauthenticated = await http.GetAsync(new Uri($"{ApiHttp}/v1/log/events"), cancel.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        var otherTenant = await SendAsync(http, key, $"?tenantId={await Stack.CreateTenantAsync("log-sse-o-" + Guid.NewGuid().ToString("N")[..8])}", null, cancel.Token);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        var badLevel = await SendAsync(http, key, "?minLevel=loud", null, cancel.Token);
        Assert.Equal(HttpStatusCode.BadRequest, badLevel.StatusCode);
    }

    private string ApiHttp => $"http://127.0.0.1:{Stack.Ports[UrbStack.Api].Http}";

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, string key, string query, string? lastEventId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{ApiHttp}/v1/log/events{query}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private async Task<((string Id, JsonElement Data) First, StreamReader Reader, HttpResponseMessage Response)> OpenAsync(
        HttpClient http, string key, string query, string? lastEventId, CancellationToken cancellationToken)
    {
        var response = await SendAsync(http, key, query, lastEventId, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        return (await NextEventAsync(reader, cancellationToken), reader, response);
    }

    /// <summary>The next <c>log</c> event: its <c>id:</c>, <c>event:</c> and <c>data:</c> lines, then a blank line.</summary>
    private static async Task<(string Id, JsonElement Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var id = await reader.ReadLineAsync(cancellationToken);
        Assert.StartsWith("id: ", id);
        Assert.Equal("event: log", await reader.ReadLineAsync(cancellationToken));
        var data = await reader.ReadLineAsync(cancellationToken);
        Assert.StartsWith("data: ", data);
        Assert.Equal("", await reader.ReadLineAsync(cancellationToken));
        return (id!["id: ".Length..], JsonDocument.Parse(data!["data: ".Length..]).RootElement.Clone());
    }

    /// <summary>Events from the stream until one matches (included).</summary>
    private static async Task<List<LogEvent>> ReadUntilAsync(AsyncServerStreamingCall<LogEvent> follow, Func<LogEvent, bool> last, CancellationToken cancellationToken)
    {
        var events = new List<LogEvent>();
        while (await follow.ResponseStream.MoveNext(cancellationToken))
        {
            events.Add(follow.ResponseStream.Current);
            if (last(follow.ResponseStream.Current)) return events;
        }
        throw new InvalidOperationException("The stream ended.");
    }

    /// <summary>The recent events of the filter, once one matches (publishing is fire-and-forget).</summary>
    private async Task<IReadOnlyList<LogEvent>> WaitForAsync(LogFilter filter, Func<LogEvent, bool> match)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var events = (await Stack.ApiLiveLog.ListRecentAsync(new ListRecentLogRequest { Filter = filter }, Stack.AdminHeaders)).Events;
            if (events.Any(match)) return events;
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the event.");
            await Task.Delay(100);
        }
    }

    private Task AddAsync(string tenant, string client, string level, string message) =>
        LiveLogLines.AddAsync(Stack, tenant, client, level, message);

    /// <summary>Stream ids compare as two numbers, not as text.</summary>
    private sealed class StreamIdOrder : IComparer<string>
    {
        public static readonly StreamIdOrder Instance = new();

        public int Compare(string? x, string? y) => Key(x!).CompareTo(Key(y!));

        private static (ulong, ulong) Key(string id) => (ulong.Parse(id.Split('-')[0]), ulong.Parse(id.Split('-')[1]));
    }
}
