using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.EndToEnd.Tests.Infrastructure;
using static Urb.EndToEnd.Tests.DedupIndexTestData;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The index's side of garbage collection, driven directly: marks, the sweep (revive, condemn,
/// delete, references), condemned content absent for every presence lookup (and for Redis), and
/// a registration that revives it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class GarbageIndexTests(StackFixture fixture)
{
    private readonly DedupIndex.DedupIndexClient index = Client(fixture.Stack);

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Sweep_UnmarkedChunk_IsCondemnedThenDeletedByALaterRun()
    {
        var tenant = NewTenant();
        var (garbage, kept, hash) = (RandomId(), RandomId(), RandomId());
        await RegisterAsync(index, tenant, garbage, kept);
        await index.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = tenant, Entries = { Entry(hash, 10, kept, garbage) } });
        var client = Guid.NewGuid().ToString();

        var first = await SweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(1), client, kept);
        var findAfterFirst = await FindAsync(index, tenant, garbage, kept);
        var entriesAfterFirst = await index.FindFileEntriesAsync(new FindFileEntriesRequest { TenantId = tenant, FileHashes = { Pack(hash) } });
        var stillReadable = await index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant, ChunkIds = Pack(garbage) });
        var second = await SweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(2), client, kept);
        var gone = await Assert.ThrowsAsync<RpcException>(() => index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant, ChunkIds = Pack(garbage) }).ResponseAsync);

        Assert.Equal((1, 1, 0L), (first.Live, first.Condemned, first.Deleted));
        Assert.Equal(new byte[] { 0, 1 }, findAfterFirst);
        Assert.Empty(entriesAfterFirst.Entries);
        Assert.Single(stillReadable.Locations);
        Assert.Equal((0L, 1L, 1L), (second.Condemned, second.Deleted, second.FileEntriesDeleted));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Equal(new byte[] { 1 }, await FindAsync(index, tenant, kept));
    }

    [Fact]
    public async Task Sweep_ChunkCreatedAfterTheCutoff_IsNotCondemned()
    {
        var tenant = NewTenant();
        var young = RandomId();
        await RegisterAsync(index, tenant, young);

        var swept = await SweepAsync(tenant, DateTimeOffset.UtcNow.AddMinutes(-1), client: null);

        Assert.Equal(0, swept.Condemned);
        Assert.Equal(new byte[] { 1 }, await FindAsync(index, tenant, young));
    }

    [Fact]
    public async Task RegisterChunks_CondemnedChunk_RevivesItAtTheNewLocation()
    {
        var tenant = NewTenant();
        var chunk = RandomId();
        await RegisterAsync(index, tenant, chunk);
        await SweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(1), client: null);
        var again = Location(chunk);

        var registered = await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { again } });
        var located = await index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant, ChunkIds = Pack(chunk) });
        var later = await SweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(-1), client: null);

        Assert.Equal(1, registered.Added);
        Assert.Equal(new byte[] { 1 }, await FindAsync(index, tenant, chunk));
        Assert.Equal(again.Pack, Assert.Single(located.Locations).Pack);
        Assert.Equal(0, later.Deleted);
    }

    [Fact]
    public async Task Sweep_MarkedCondemnedChunk_IsRevived()
    {
        var tenant = NewTenant();
        var chunk = RandomId();
        await RegisterAsync(index, tenant, chunk);
        await SweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(1), client: null);

        var swept = await SweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(2), Guid.NewGuid().ToString(), chunk);

        Assert.Equal((1L, 0L, 0L), (swept.Revived, swept.Condemned, swept.Deleted));
        Assert.Equal(new byte[] { 1 }, await FindAsync(index, tenant, chunk));
    }

    [Fact]
    public async Task CondemnedChunk_IsNotAnsweredFromRedis_EvenWhenRedisHasOldData()
    {
        await WaitUntilCacheConnectedAsync(Stack.Ports[Service]);
        var tenant = NewTenant();
        var chunk = RandomId();
        await RegisterAsync(index, tenant, chunk);
        await FindAsync(index, tenant, chunk);
        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);
        var cachedBefore = await redis.IntegerAsync("SISMEMBER", ChunkSetKey(tenant), chunk);

        await SweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(1), client: null);
        // Redis "coming back" with what it held before the condemnation.
        await redis.CommandAsync("SADD", ChunkSetKey(tenant), chunk);
        var found = await FindAsync(index, tenant, chunk);

        Assert.Equal(1, cachedBefore);
        Assert.Equal(new byte[] { 0 }, found);
        Assert.Equal(0, await redis.IntegerAsync("SISMEMBER", ChunkSetKey(tenant, generation: 1), chunk));
    }

    [Fact]
    public async Task Sweep_References_BecomeTheMarkedSet_ButRecentOnesStay()
    {
        var tenant = NewTenant();
        var (client, other) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var (live, stale, recent, missingRef) = (RandomId(), RandomId(), RandomId(), RandomId());
        await RegisterAsync(index, tenant, live, stale, recent, missingRef);
        await index.AddReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = client, ChunkIds = Pack(live, stale) });
        var cutoff = DateTimeOffset.UtcNow.AddMilliseconds(500);
        await Task.Delay(1000);
        await index.AddReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = other, ChunkIds = Pack(recent) });

        var swept = await SweepAsync(tenant, cutoff, client, live, missingRef);
        var usage = await index.GetUsageAsync(new GetUsageRequest { TenantId = tenant });

        Assert.Equal(1, swept.ReferencesAdded);
        Assert.Equal(1, swept.ReferencesRemoved);
        Assert.Equal(2, usage.Clients.Single(c => c.ClientId == client).Chunks);
        Assert.Equal(1, usage.Clients.Single(c => c.ClientId == other).Chunks);
    }

    [Fact]
    public async Task ListGuardTrees_TreeNotCondemnedBeforeTheCutoff_KeepsWhatItNamesUntilTheTreeIsCondemnedInAnEarlierRun()
    {
        var tenant = NewTenant();
        var (named, tree) = (RandomId(), RandomId());
        await RegisterAsync(index, tenant, named);
        // The old chunk is condemned; then a tree that names it arrives (a backup that was told "present" before).
        await SweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(1), client: null);
        var treeLocation = Location(tree);
        treeLocation.Tree = true;
        await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { treeLocation } });

        // Run 2: the tree is not condemned, so a backup may have found it and reuse it: what it
        // names is not deleted. The run condemns the tree itself (no snapshot reaches it).
        var guarded = await GuardedSweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(2), named);
        // Run 3: the tree was condemned before this cutoff, so no running backup relies on it.
        var deleting = await GuardedSweepAsync(tenant, DateTimeOffset.UtcNow.AddSeconds(3), named);

        Assert.Equal((1, 0L, 1L), (guarded.GuardTrees, guarded.Swept.Deleted, guarded.Swept.Condemned));
        Assert.Equal((0, 2L), (deleting.GuardTrees, deleting.Swept.Deleted));
    }

    [Fact]
    public async Task GarbageCalls_MalformedInput_AreInvalidArgumentNamingTheField()
    {
        var tenant = NewTenant();

        var mark = await Assert.ThrowsAsync<RpcException>(() => index.MarkObjectsAsync(new MarkObjectsRequest
        {
            TenantId = tenant, RunId = "not-a-run", ChunkIds = Pack(RandomId()),
        }).ResponseAsync);
        var sweep = await Assert.ThrowsAsync<RpcException>(() => index.SweepAsync(new SweepRequest
        {
            TenantId = tenant, RunId = Guid.NewGuid().ToString(), Now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        }).ResponseAsync);
        var move = await Assert.ThrowsAsync<RpcException>(() => index.MoveChunksAsync(new MoveChunksRequest
        {
            TenantId = tenant, FromPack = "NOT HEX",
        }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "run_id"), (mark.StatusCode, ErrorDetails.FieldOf(mark)));
        Assert.Equal((StatusCode.InvalidArgument, "cutoff"), (sweep.StatusCode, ErrorDetails.FieldOf(sweep)));
        Assert.Equal((StatusCode.InvalidArgument, "from_pack"), (move.StatusCode, ErrorDetails.FieldOf(move)));
    }

    /// <summary>
    /// One run without snapshots as the collector makes it: the guard trees at the cutoff, what they
    /// name (here always <paramref name="named"/>) marked without a client, then the sweep.
    /// </summary>
    private async Task<(int GuardTrees, SweepResponse Swept)> GuardedSweepAsync(string tenant, DateTimeOffset cutoff, byte[] named)
    {
        var run = Guid.NewGuid().ToString();
        var at = Timestamp.FromDateTimeOffset(cutoff);
        await index.MarkObjectsAsync(new MarkObjectsRequest { TenantId = tenant, RunId = run, First = true });
        var guards = await index.ListGuardTreesAsync(new ListGuardTreesRequest { TenantId = tenant, RunId = run, Cutoff = at });
        var trees = guards.TreeIds.Length / 32;
        if (trees > 0) await index.MarkObjectsAsync(new MarkObjectsRequest { TenantId = tenant, RunId = run, ChunkIds = Pack(named) });
        return (trees, await index.SweepAsync(new SweepRequest { TenantId = tenant, RunId = run, Cutoff = at, Now = at }));
    }

    private Task<SweepResponse> SweepAsync(string tenant, DateTimeOffset cutoff, string? client, params byte[][] marked) =>
        SweepRunAsync(index, tenant, cutoff, client, marked);
}
