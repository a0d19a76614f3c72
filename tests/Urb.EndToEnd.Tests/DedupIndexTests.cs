using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using Urb.Contracts.Index.V1;
using Urb.EndToEnd.Tests.Infrastructure;
using static Urb.EndToEnd.Tests.DedupIndexTestData;

namespace Urb.EndToEnd.Tests;

/// <summary>The dedup index over gRPC against real PostgreSQL and Redis: chunks, file entries, tenant isolation.</summary>
[Collection(StackCollection.Name)]
public sealed class DedupIndexTests(StackFixture fixture)
{
    private readonly DedupIndex.DedupIndexClient index = Client(fixture.Stack);

    [Fact]
    public async Task RegisterChunks_ThenFindAndLocate_AnswerInRequestOrderWithTheTreeMark()
    {
        var tenant = NewTenant();
        var (a, b, unknown) = (RandomId(), RandomId(), RandomId());
        var locations = new[] { Location(a, length: 111, offset: 0), Location(b, length: 222, offset: 111) };
        locations[1].Tree = true;

        var registered = await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { locations } });
        var present = await FindAsync(index, tenant, b, unknown, a, a);
        var located = await index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant, ChunkIds = Pack(b, a, b) });

        Assert.Equal(2, registered.Added);
        Assert.Equal(0, registered.AlreadyKnown);
        Assert.Equal(new byte[] { 1, 0, 1, 1 }, present);
        Assert.Equal([locations[1], locations[0], locations[1]], located.Locations);
    }

    [Fact]
    public async Task FindChunks_UnknownIds_AreAbsent()
    {
        var present = await FindAsync(index, NewTenant(), RandomIds(100));

        Assert.Equal(new byte[100], present);
    }

    [Fact]
    public async Task FindChunks_EmptyList_AnswersEmpty()
    {
        Assert.Empty(await FindAsync(index, NewTenant()));
    }

    [Fact]
    public async Task RegisterChunks_Again_KeepsTheFirstLocation()
    {
        var tenant = NewTenant();
        var id = RandomId();
        var first = Location(id, length: 100, pack: "aaaa", offset: 10);

        await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { first } });
        var again = await index.RegisterChunksAsync(new RegisterChunksRequest
        {
            TenantId = tenant,
            Chunks = { Location(id, length: 999, pack: "bbbb", offset: 20), Location(RandomId()) },
        });
        var located = await index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant, ChunkIds = Pack(id) });

        Assert.Equal(1, again.Added);
        Assert.Equal(1, again.AlreadyKnown);
        Assert.Equal(first, Assert.Single(located.Locations));
    }

    [Fact]
    public async Task LocateChunks_OneMissing_IsNotFoundNamingTheFirstMissing()
    {
        var tenant = NewTenant();
        var (known, missing, alsoMissing) = (RandomId(), RandomId(), RandomId());
        await RegisterAsync(index, tenant, known);

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant, ChunkIds = Pack(known, missing, alsoMissing) }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains(Convert.ToHexStringLower(missing), e.Status.Detail);
    }

    [Fact]
    public async Task Chunks_OfAnotherTenant_AreNeverSeen()
    {
        var (tenantA, tenantB) = (NewTenant(), NewTenant());
        var id = RandomId();
        var locationA = Location(id, pack: "aaaa");
        await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenantA, Chunks = { locationA } });

        Assert.Equal(new byte[] { 0 }, await FindAsync(index, tenantB, id));
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenantB, ChunkIds = Pack(id) }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);

        // The same ID in tenant B is a different chunk with a place of its own.
        var registeredB = await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenantB, Chunks = { Location(id, pack: "bbbb") } });
        var locatedA = await index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenantA, ChunkIds = Pack(id) });
        Assert.Equal(1, registeredB.Added);
        Assert.Equal(locationA, Assert.Single(locatedA.Locations));
    }

    [Fact]
    public async Task FileEntries_PutThenFind_AnswerTheKnownOnesInRequestOrder()
    {
        var tenant = NewTenant();
        var chunks = RandomIds(3);
        await RegisterAsync(index, tenant, chunks);
        var (one, two, unknown) = (RandomId(), RandomId(), RandomId());
        var entries = new[] { Entry(one, 3000, chunks), Entry(two, 1000, chunks[1]), Entry(RandomId(), 0) };

        var put = await index.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = tenant, Entries = { entries } });
        var again = await index.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = tenant, Entries = { Entry(one, 1, chunks[0]) } });
        var found = await index.FindFileEntriesAsync(new FindFileEntriesRequest
        {
            TenantId = tenant,
            FileHashes = { Pack(two), Pack(unknown), Pack(one) },
        });

        Assert.Equal(3, put.Added);
        Assert.Equal(0, again.Added);
        Assert.Equal([entries[1], entries[0]], found.Entries);
    }

    [Fact]
    public async Task PutFileEntries_NamingAnUnstoredChunk_IsFailedPreconditionAndStoresNothing()
    {
        var tenant = NewTenant();
        var (stored, notStored, hash) = (RandomId(), RandomId(), RandomId());
        await RegisterAsync(index, tenant, stored);

        var e = await Assert.ThrowsAsync<RpcException>(() => index.PutFileEntriesAsync(new PutFileEntriesRequest
        {
            TenantId = tenant,
            Entries = { Entry(RandomId(), 10, stored), Entry(hash, 20, stored, notStored) },
        }).ResponseAsync);
        var found = await index.FindFileEntriesAsync(new FindFileEntriesRequest { TenantId = tenant, FileHashes = { Pack(hash) } });

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains(Convert.ToHexStringLower(notStored), e.Status.Detail);
        Assert.Empty(found.Entries);
    }

    [Fact]
    public async Task FileEntries_OfAnotherTenant_AreNeverSeen()
    {
        var (tenantA, tenantB) = (NewTenant(), NewTenant());
        var (chunk, hash) = (RandomId(), RandomId());
        await RegisterAsync(index, tenantA, chunk);
        await index.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = tenantA, Entries = { Entry(hash, 5, chunk) } });

        var foundB = await index.FindFileEntriesAsync(new FindFileEntriesRequest { TenantId = tenantB, FileHashes = { Pack(hash) } });
        // Tenant B cannot point at tenant A's chunk either, even naming the same ID.
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            index.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = tenantB, Entries = { Entry(hash, 5, chunk) } }).ResponseAsync);

        Assert.Empty(foundB.Entries);
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
    }

    [Fact]
    public async Task RegisterAndReference_ConcurrentOverlappingBatches_AllSucceedOnce()
    {
        // Backups of similar machines register the same chunks at once, in different orders;
        // none of the calls may fail (e.g. on a deadlock) and each chunk is added exactly once.
        var tenant = NewTenant();
        var client = Guid.NewGuid().ToString();
        var ids = RandomIds(4000);
        var batches = Enumerable.Range(0, 6).Select(_ => ids.OrderBy(_ => Random.Shared.Next()).ToArray()).ToList();

        var registered = await Task.WhenAll(batches.Select(async batch =>
            (await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { batch.Select(id => Location(id)) } })).Added));
        var referenced = await Task.WhenAll(batches.Select(async batch =>
            (await index.AddReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = client, ChunkIds = Pack(batch) })).Changed));

        Assert.Equal(ids.Length, registered.Sum());
        Assert.Equal(ids.Length, referenced.Sum());
    }

    [Fact]
    public async Task AddReferences_ABigFirstBatchOfATenantTheStatisticsHaveNotSeen_AddsEveryReference()
    {
        // A new tenant's first backup: its chunks were registered after PostgreSQL last analyzed
        // dedup.chunks, when another tenant's rows were all there was, so the planner takes the
        // new tenant for one row. A join of the batch's IDs against that estimate became a nested
        // loop over the whole batch for every stored row (quadratic: 22,483 IDs ran into the 30 s
        // command timeout and failed the backup).
        var other = NewTenant();
        foreach (var batch in RandomIds(20_000).Chunk(10_000)) await RegisterAsync(index, other, batch);
        await using (var connection = new NpgsqlConnection(fixture.Stack.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var analyze = new NpgsqlCommand("ANALYZE dedup.chunks", connection);
            await analyze.ExecuteNonQueryAsync();
        }
        var tenant = NewTenant();
        var client = Guid.NewGuid().ToString();
        var ids = RandomIds(40_000);
        foreach (var batch in ids.Chunk(10_000)) await RegisterAsync(index, tenant, batch);

        var referenced = await index.AddReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = client, ChunkIds = Pack(ids) });

        Assert.Equal(ids.Length, referenced.Changed);
        Assert.Equal(ids.Length * 32, referenced.AddedIds.Length);
    }

    [Fact]
    public async Task FullBatch_FindAndLocate_AnswerEveryId()
    {
        // 65536 locations are about 5 MB: more than gRPC's default 4 MiB for a response, so a
        // caller raises its limit as the services' AddUrbGrpcClient does (16 MiB).
        using var channel = GrpcChannel.ForAddress(fixture.Stack.Ports[Service].GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 });
        var big = new DedupIndex.DedupIndexClient(channel);
        var tenant = NewTenant();
        var ids = RandomIds(65536);
        var stored = ids.Where((_, i) => i % 2 == 0).ToArray();
        await big.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { stored.Select(id => Location(id)) } });

        var present = await FindAsync(big, tenant, ids);
        var located = await big.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant, ChunkIds = Pack(stored) });

        Assert.Equal(ids.Select((_, i) => i % 2 == 0 ? (byte)1 : (byte)0), present);
        Assert.Equal(stored.Select(id => Convert.ToHexStringLower(id)), located.Locations.Select(l => Convert.ToHexStringLower(l.ChunkId.Span)));
    }
}
