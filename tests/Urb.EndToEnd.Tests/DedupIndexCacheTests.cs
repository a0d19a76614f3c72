using System.Diagnostics;
using System.Net;
using Urb.Contracts.Index.V1;
using Urb.EndToEnd.Tests.Infrastructure;
using Urb.ServiceDefaults.Hosting;
using static Urb.EndToEnd.Tests.DedupIndexTestData;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Redis is only a cache in front of PostgreSQL: flushed, tampered with or stopped, the index
/// still answers correctly (and refills it once it is back).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DedupIndexCacheTests(StackFixture fixture)
{
    private readonly DedupIndex.DedupIndexClient index = Client(fixture.Stack);

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task RegisterChunks_AddsThemToTheTenantsCacheSet()
    {
        await WaitUntilCacheConnectedAsync(Stack.Ports[Service]);
        var tenant = NewTenant();
        var id = RandomId();

        await RegisterAsync(index, tenant, id);

        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);
        Assert.Equal(1, await redis.IntegerAsync("SISMEMBER", ChunkSetKey(tenant), id));
        Assert.True(await redis.IntegerAsync("TTL", ChunkSetKey(tenant)) > 0);
    }

    [Fact]
    public async Task RedisFlushed_AnswersStayCorrect_AndTheCacheRefills()
    {
        await WaitUntilCacheConnectedAsync(Stack.Ports[Service]);
        var tenant = NewTenant();
        var (chunk, hash, unknown) = (RandomId(), RandomId(), RandomId());
        await RegisterAsync(index, tenant, chunk);
        var entry = Entry(hash, 42, chunk);
        await index.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = tenant, Entries = { entry } });
        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);

        await redis.CommandAsync("FLUSHALL");
        var present = await FindAsync(index, tenant, chunk, unknown);
        var found = await index.FindFileEntriesAsync(new FindFileEntriesRequest { TenantId = tenant, FileHashes = { Pack(hash) } });

        Assert.Equal(new byte[] { 1, 0 }, present);
        Assert.Equal(entry, Assert.Single(found.Entries));
        Assert.Equal(1, await redis.IntegerAsync("SISMEMBER", ChunkSetKey(tenant), chunk));
        Assert.Equal(0, await redis.IntegerAsync("SISMEMBER", ChunkSetKey(tenant), unknown));
        Assert.Equal(1, await redis.IntegerAsync("EXISTS", FileEntryKey(tenant, hash)));
        Assert.True(await redis.IntegerAsync("TTL", FileEntryKey(tenant, hash)) > 0);
    }

    [Fact]
    public async Task CachedFileEntry_Garbled_IsReadFromTheDatabase()
    {
        await WaitUntilCacheConnectedAsync(Stack.Ports[Service]);
        var tenant = NewTenant();
        var (chunk, hash) = (RandomId(), RandomId());
        await RegisterAsync(index, tenant, chunk);
        var entry = Entry(hash, 7, chunk);
        await index.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = tenant, Entries = { entry } });
        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);

        await redis.CommandAsync("SET", FileEntryKey(tenant, hash), "not an entry");
        var found = await index.FindFileEntriesAsync(new FindFileEntriesRequest { TenantId = tenant, FileHashes = { Pack(hash) } });

        Assert.Equal(entry, Assert.Single(found.Entries));
    }

    [Fact]
    public async Task FindChunks_IdInTheCacheSet_IsAnsweredFromRedis()
    {
        await WaitUntilCacheConnectedAsync(Stack.Ports[Service]);
        // Only the cache knows this ID, so "present" proves the lookup took the cache path (and
        // is why garbage collection must take a chunk out of the set before deleting its row).
        var tenant = NewTenant();
        var id = RandomId();
        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);

        await redis.CommandAsync("SADD", ChunkSetKey(tenant), id);

        Assert.Equal(new byte[] { 1 }, await FindAsync(index, tenant, id));
    }

    [Fact]
    public Task RedisStopped_EveryAnswerStaysCorrect_WithOneWarning_AndTheIndexStaysReady() =>
        EveryAnswerStaysCorrectWhileRedisIsAwayAsync(Stack.Redis.StopAsync, Stack.Redis.StartAgainAsync);

    /// <summary>Frozen, not stopped: the connection stays open and nothing is answered on it.</summary>
    [Fact]
    public Task RedisHangs_CallsDoNotWaitForIt_EveryAnswerStaysCorrect_AndTheCacheIsUsedAfter() =>
        EveryAnswerStaysCorrectWhileRedisIsAwayAsync(Stack.Redis.PauseAsync, Stack.Redis.ResumeAsync);

    /// <summary>
    /// Takes Redis away, makes every kind of call a backup makes, brings Redis back: the answers
    /// are PostgreSQL's, no call waits for the multiplexer's timeout (a hung Redis costs one call
    /// the index's own 1 s cache timeout), the index stays ready, one warning says the cache is
    /// away and one that it is back, and the cache fills again.
    /// </summary>
    private async Task EveryAnswerStaysCorrectWhileRedisIsAwayAsync(Func<Task> takeAway, Func<Task> bringBack)
    {
        var (service, ports, own) = await StartOwnIndexAsync();
        await using var _ = service;
        var tenant = NewTenant();
        var client = Guid.NewGuid().ToString();
        var (before, during, unknown, hash) = (RandomId(), RandomId(), RandomId(), RandomId());
        await RegisterAsync(own, tenant, before);

        await takeAway();
        try
        {
            var timer = Stopwatch.StartNew();
            Assert.Equal(new byte[] { 1, 0 }, await FindAsync(own, tenant, before, unknown));
            await RegisterAsync(own, tenant, during);
            Assert.Equal(new byte[] { 1, 1, 0 }, await FindAsync(own, tenant, before, during, unknown));
            await own.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = tenant, Entries = { Entry(hash, 64, before, during) } });
            var found = await own.FindFileEntriesAsync(new FindFileEntriesRequest { TenantId = tenant, FileHashes = { Pack(hash) } });
            Assert.Equal(Pack(before, during), Assert.Single(found.Entries).ChunkIds);
            await own.AddReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = client, ChunkIds = Pack(before, during) });
            var usage = await own.GetUsageAsync(new GetUsageRequest { TenantId = tenant, ClientId = client });
            Assert.Equal(2, Assert.Single(usage.Clients).Chunks);
            Assert.True(timer.Elapsed < MultiplexerTimeout / 2, $"calls without Redis took {timer.Elapsed}");
            Assert.Equal(HttpStatusCode.OK, await UrbStack.ReadinessAsync(ports));
        }
        finally
        {
            await bringBack();
        }

        await WaitUntilCachedAsync(own, tenant, during);
        Assert.Equal(new byte[] { 1, 1, 0 }, await FindAsync(own, tenant, before, during, unknown));
        Assert.Single(Lines(service.Output, "Redis cache unavailable"));
        Assert.Single(Lines(service.Output, "Redis cache available again"));
        Assert.DoesNotContain(" at Urb.", service.Output);
    }

    [Fact]
    public async Task CacheTimeoutOfZero_ServiceExitsWithOneClearLine()
    {
        var overrides = new Dictionary<string, string?> { ["DedupIndex__CacheTimeout"] = "00:00:00" };
        await using var service = await Stack.StartServiceAsync(Service, ServicePorts.Allocate(), overrides, waitUntilReady: false);

        Assert.Equal(UrbHost.ConfigurationErrorExitCode, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("DedupIndex:CacheTimeout must be more than zero and at most a minute", service.Output);
        Assert.DoesNotContain(" at Urb.", service.Output);
    }

    /// <summary>
    /// The multiplexer's command timeout for <see cref="StartOwnIndexAsync"/>: far longer than the
    /// calls of these tests ever take, so a call that waits for it cannot pass unseen however busy
    /// the machine is.
    /// </summary>
    private static readonly TimeSpan MultiplexerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>An index of its own (so its log holds only this test's calls), connected to the cache.</summary>
    private async Task<(ChildProcess Service, ServicePorts Ports, DedupIndex.DedupIndexClient Client)> StartOwnIndexAsync()
    {
        var ports = ServicePorts.Allocate();
        var timeout = MultiplexerTimeout.TotalMilliseconds;
        var redis = $"{Stack.Redis.Configuration},asyncTimeout={timeout},syncTimeout={timeout}";
        var service = await Stack.StartServiceAsync(Service, ports, new Dictionary<string, string?> { ["ConnectionStrings__redis"] = redis });
        await WaitUntilCacheConnectedAsync(ports);
        return (service, ports, new DedupIndex.DedupIndexClient(Stack.Channel(ports.GrpcAddress)));
    }

    /// <summary>Looks the chunk up until the index has reconnected and put it into the set.</summary>
    private async Task WaitUntilCachedAsync(DedupIndex.DedupIndexClient own, string tenant, byte[] id)
    {
        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.Equal(new byte[] { 1 }, await FindAsync(own, tenant, id));
            if (await redis.IntegerAsync("SISMEMBER", ChunkSetKey(tenant), id) == 1) return;
            Assert.True(DateTime.UtcNow < deadline, "the index did not refill the cache after Redis came back");
            await Task.Delay(200);
        }
    }

    private static string[] Lines(string output, string text) =>
        output.Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal)).ToArray();
}
