using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.EndToEnd.Tests.Infrastructure;
using Urb.ServiceDefaults.Grpc;

namespace Urb.EndToEnd.Tests;

/// <summary>Urb.Storage through its gRPC API, with the real DedupIndex, PostgreSQL and pack files on disk.</summary>
[Collection(StackCollection.Name)]
public sealed class StorageTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    private StorageCalls Storage => new(new Storage.StorageClient(Stack.Channel(Stack.Ports[UrbStack.Storage].GrpcAddress)));

    private DedupIndex.DedupIndexClient Index => new(Stack.Channel(Stack.Ports[UrbStack.DedupIndex].GrpcAddress));

    [Fact]
    public async Task WriteThenRead_MixedChunks_ReturnsTheSameBytesAndRegistersThem()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var chunks = new[] { Random(300_000), Compressible(2_500_000), Random(0), Random(1_048_576) }
            .Select(data => (Id: ChunkId.Compute(key, data), Data: data)).ToList();

        var locations = await Storage.WriteAsync(tenant, chunks);
        var read = await Storage.ReadAsync(tenant, locations);

        Assert.Equal(chunks.Count, read.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            Assert.Equal(chunks[i].Id, read[i].Id);
            Assert.Equal(chunks[i].Data, read[i].Data);
        }
        Assert.True(locations[1].Length < 2_500_000 / 10, "compressible data is stored compressed");
        var located = await Index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant.ToString(), ChunkIds = Packed(chunks.Select(c => c.Id)) });
        Assert.Equal(locations, located.Locations);
    }

    [Fact]
    public async Task ReadChunkBatches_ManySmallAndOneLargeChunk_SamePiecesAsReadChunksInBoundedMessages()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var chunks = Enumerable.Range(0, 200).Select(_ => Random(2_000)).Append(Random(2_500_000)).Append(Compressible(30_000))
            .Select(data => (Id: ChunkId.Compute(key, data), Data: data)).ToList();
        var locations = await Storage.WriteAsync(tenant, chunks);
        var client = new Storage.StorageClient(Stack.Channel(Stack.Ports[UrbStack.Storage].GrpcAddress));
        var request = new ReadChunksRequest { TenantId = tenant.ToString(), Chunks = { locations }, AsStored = true };

        var alone = new List<ReadChunksResponse>();
        using (var call = client.ReadChunks(request))
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None)) alone.Add(call.ResponseStream.Current);
        }
        var batches = new List<ReadChunksBatch>();
        using (var call = client.ReadChunkBatches(request))
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None)) batches.Add(call.ResponseStream.Current);
        }

        Assert.Equal(alone, batches.SelectMany(b => b.Pieces));
        Assert.Equal(chunks.Count + 2, alone.Count);
        // How many pieces share a message depends on how far the reads are ahead; its size is bounded.
        Assert.All(batches, b => Assert.True(b.Pieces.Sum(p => p.Data.Length) < GatheringResponseWriter<ReadChunksResponse, ReadChunksBatch>.TargetBytes + ChunkLimits.MaxFrameBytes));
    }

    [Fact]
    public async Task Write_FramesGatheredInOneMessage_StoresEachChunkAsIfSentAlone()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var small = Random(3_000);
        var split = Random(1_500_000);
        var alone = Compressible(40_000);
        var last = Random(0);
        var chunks = new[] { small, split, alone, last }.Select(data => (Id: ChunkId.Compute(key, data), Data: data)).ToList();

        using var call = await OpenWriteAsync(tenant);
        // One message: the small chunk whole and the first frame of the split one; then its
        // second frame alone, the next chunk as a plain frame, and the empty one in a batch of one.
        await call.RequestStream.WriteAsync(new WriteChunksRequest
        {
            Frames = new ChunkFrames
            {
                Frames =
                {
                    new ChunkFrame { ChunkId = ByteString.CopyFrom(chunks[0].Id), Data = ByteString.CopyFrom(small), EndOfChunk = true },
                    new ChunkFrame { ChunkId = ByteString.CopyFrom(chunks[1].Id), Data = ByteString.CopyFrom(split, 0, 1_000_000) },
                },
            },
        });
        await call.RequestStream.WriteAsync(new WriteChunksRequest { Frames = new ChunkFrames { Frames = { new ChunkFrame { Data = ByteString.CopyFrom(split, 1_000_000, 500_000), EndOfChunk = true } } } });
        await StorageCalls.WriteChunkAsync(call.RequestStream, chunks[2].Id, alone, CancellationToken.None);
        await call.RequestStream.WriteAsync(new WriteChunksRequest { Frames = new ChunkFrames { Frames = { new ChunkFrame { ChunkId = ByteString.CopyFrom(chunks[3].Id), EndOfChunk = true } } } });
        await call.RequestStream.CompleteAsync();
        var locations = (await call.ResponseAsync).Locations;

        var read = await Storage.ReadAsync(tenant, locations);
        Assert.Equal(chunks.Select(c => Convert.ToHexString(c.Id)), read.Select(r => Convert.ToHexString(r.Id)));
        for (var i = 0; i < chunks.Count; i++) Assert.Equal(chunks[i].Data, read[i].Data);
    }

    [Fact]
    public async Task Write_BatchWithAChunkCutOffByTheNextChunksFrame_IsInvalidArgument()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var first = Random(2_000);
        var second = Random(2_000);

        using var call = await OpenWriteAsync(tenant);
        await call.RequestStream.WriteAsync(new WriteChunksRequest
        {
            Frames = new ChunkFrames
            {
                Frames =
                {
                    new ChunkFrame { ChunkId = ByteString.CopyFrom(ChunkId.Compute(key, first)), Data = ByteString.CopyFrom(first) },
                    new ChunkFrame { ChunkId = ByteString.CopyFrom(ChunkId.Compute(key, second)), Data = ByteString.CopyFrom(second), EndOfChunk = true },
                },
            },
        });
        await call.RequestStream.CompleteAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task Write_ChunkWhoseContentDoesNotMatchItsId_IsRefusedAndNothingRegistered()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var good = Random(50_000);
        var goodId = ChunkId.Compute(key, good);
        var lyingId = ChunkId.Compute(key, Random(10));

        var e = await Assert.ThrowsAsync<RpcException>(() => Storage.WriteAsync(tenant, [(goodId, good), (lyingId, Random(20_000))]));

        Assert.Equal(StatusCode.DataLoss, e.StatusCode);
        Assert.Contains(ChunkId.ToHex(lyingId), e.Status.Detail);
        var found = await Index.FindChunksAsync(new FindChunksRequest { TenantId = tenant.ToString(), ChunkIds = Packed([goodId, lyingId]) });
        Assert.Equal(new byte[] { 0, 0 }, found.Present.ToByteArray());
    }

    [Fact]
    public async Task Read_AfterAByteFlippedInThePackFile_IsDataLossNamingChunkAndPack()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var data = Random(100_000);
        var id = ChunkId.Compute(key, data);
        var location = (await Storage.WriteAsync(tenant, [(id, data)])).Single();

        PackDamage.FlipByte(PackFile(tenant, location.Pack), location.Offset + location.Length / 2);
        var e = await Assert.ThrowsAsync<RpcException>(() => Storage.ReadAsync(tenant, [location]));

        Assert.Equal(StatusCode.DataLoss, e.StatusCode);
        Assert.Contains(ChunkId.ToHex(id), e.Status.Detail);
        Assert.Contains(location.Pack, e.Status.Detail);
    }

    [Fact]
    public async Task ReadAsStored_CompressibleAndRandomChunks_CompressedOnesComeAsTheirZstdFrame()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var chunks = new[] { Compressible(2_500_000), Random(300_000) }.Select(data => (Id: ChunkId.Compute(key, data), Data: data)).ToList();
        var locations = await Storage.WriteAsync(tenant, chunks);

        var read = await Storage.ReadAsStoredAsync(tenant, locations);

        Assert.True(read[0].Compressed);
        Assert.Equal(2_500_000, read[0].PlainLength);
        Assert.True(read[0].Data.Length < 2_500_000 / 10, "the frame crosses the wire compressed");
        var plaintext = new byte[read[0].PlainLength];
        Zstd.DecompressExactly(read[0].Data, plaintext);
        Assert.Equal(chunks[0].Data, plaintext);
        Assert.False(read[1].Compressed);
        Assert.Equal(chunks[1].Data, read[1].Data);
    }

    [Fact]
    public async Task ReadAsStored_AfterAByteFlippedInThePackFile_IsDataLoss()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var data = Compressible(200_000);
        var id = ChunkId.Compute(key, data);
        var location = (await Storage.WriteAsync(tenant, [(id, data)])).Single();

        PackDamage.FlipByte(PackFile(tenant, location.Pack), location.Offset + location.Length / 2);
        var e = await Assert.ThrowsAsync<RpcException>(() => Storage.ReadAsStoredAsync(tenant, [location]));

        Assert.Equal(StatusCode.DataLoss, e.StatusCode);
        Assert.Contains(ChunkId.ToHex(id), e.Status.Detail);
    }

    [Fact]
    public async Task Read_LocationInAMissingPack_IsDataLoss()
    {
        var tenant = Guid.NewGuid();
        var missing = new ChunkLocation { ChunkId = ByteString.CopyFrom(new byte[32]), Pack = new string('a', 24), Offset = 24, Length = 200, PlainLength = 100 };

        var e = await Assert.ThrowsAsync<RpcException>(() => Storage.ReadAsync(tenant, [missing]));

        Assert.Equal(StatusCode.DataLoss, e.StatusCode);
    }

    [Fact]
    public async Task GetChunkIdKey_IsStablePerTenantAndDiffersBetweenTenants()
    {
        var a = Guid.NewGuid();

        var first = await Storage.IdKeyAsync(a);
        var again = await Storage.IdKeyAsync(a);
        var other = await Storage.IdKeyAsync(Guid.NewGuid());

        Assert.Equal(32, first.Length);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Write_StreamWithoutHeader_IsInvalidArgument()
    {
        var client = new Storage.StorageClient(Stack.Channel(Stack.Ports[UrbStack.Storage].GrpcAddress));
        using var call = client.WriteChunks();
        await call.RequestStream.WriteAsync(new WriteChunksRequest { Frame = new ChunkFrame { ChunkId = ByteString.CopyFrom(new byte[32]), EndOfChunk = true } });
        await call.RequestStream.CompleteAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task StorageKilledDuringABatchWrite_AfterRestart_EveryRegisteredChunkReadsBack()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var before = Enumerable.Range(0, 20).Select(_ => Random(200_000)).Select(d => (Id: ChunkId.Compute(key, d), Data: d)).ToList();
        await Storage.WriteAsync(tenant, before);

        // A batch the process dies in the middle of: some frames sent, no answer.
        var interrupted = Enumerable.Range(0, 200).Select(_ => Random(250_000)).Select(d => (Id: ChunkId.Compute(key, d), Data: d)).ToList();
        var client = new Storage.StorageClient(Stack.Channel(Stack.Ports[UrbStack.Storage].GrpcAddress));
        using (var call = client.WriteChunks())
        {
            await call.RequestStream.WriteAsync(new WriteChunksRequest { Header = new WriteHeader { TenantId = tenant.ToString() } });
            foreach (var (id, data) in interrupted.Take(120)) await StorageCalls.WriteChunkAsync(call.RequestStream, id, data, CancellationToken.None);
            await Stack.KillAsync(UrbStack.Storage);
            await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseAsync);
        }
        await Stack.StartServiceAsync(UrbStack.Storage);

        var all = before.Concat(interrupted).ToList();
        var present = (await Index.FindChunksAsync(new FindChunksRequest { TenantId = tenant.ToString(), ChunkIds = Packed(all.Select(c => c.Id)) })).Present.ToByteArray();
        Assert.All(present.Take(before.Count), p => Assert.Equal(1, p));
        var registered = all.Where((_, i) => present[i] == 1).ToList();
        var locations = await Index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant.ToString(), ChunkIds = Packed(registered.Select(c => c.Id)) });
        var read = await Storage.ReadAsync(tenant, locations.Locations);
        Assert.Equal(registered.Select(c => c.Data), read.Select(r => r.Data));

        // The restarted service finished the pack the dead one left open, and writes on.
        var after = Random(10_000);
        var afterLocation = await Storage.WriteAsync(tenant, [(ChunkId.Compute(key, after), after)]);
        Assert.Equal(after, (await Storage.ReadAsync(tenant, afterLocation)).Single().Data);
    }

    [Fact]
    public async Task RebuildIndex_AfterTheIndexLostItsRows_RestoresEveryLocationFromThePacks()
    {
        var tenant = Guid.NewGuid();
        var key = await Storage.IdKeyAsync(tenant);
        var chunks = Enumerable.Range(0, 30).Select(_ => Random(70_000)).Select(d => (Id: ChunkId.Compute(key, d), Data: d)).ToList();
        var written = await Storage.WriteAsync(tenant, chunks);
        await Stack.Database.ScalarAsync<long>($"WITH gone AS (DELETE FROM dedup.chunks WHERE tenant_id = '{tenant}' RETURNING 1) SELECT count(*) FROM gone");
        await FlushRedisAsync();
        var lost = await Index.FindChunksAsync(new FindChunksRequest { TenantId = tenant.ToString(), ChunkIds = Packed(chunks.Select(c => c.Id)) });
        Assert.All(lost.Present.ToByteArray(), p => Assert.Equal(0, p));

        var rebuild = await Stack.RunCommandAsync(UrbStack.Storage, ["rebuild-index", "--tenant", tenant.ToString()]);

        Assert.Contains("30 locations were missing from the index and are registered now", rebuild.StandardOutput);
        var located = await Index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant.ToString(), ChunkIds = Packed(chunks.Select(c => c.Id)) });
        Assert.Equal(written, located.Locations);
        Assert.Equal(chunks.Select(c => c.Data), (await Storage.ReadAsync(tenant, located.Locations)).Select(r => r.Data));
    }

    private async Task FlushRedisAsync()
    {
        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);
        await redis.CommandAsync("FLUSHALL");
    }

    private string PackFile(Guid tenant, string pack)
    {
        var directory = Path.Combine(Stack.PacksDirectory, tenant.ToString(), pack[..2]);
        return File.Exists(Path.Combine(directory, pack + ".pack")) ? Path.Combine(directory, pack + ".pack") : Path.Combine(directory, pack + ".open");
    }

    private static ByteString Packed(IEnumerable<byte[]> ids) => ByteString.CopyFrom(ids.SelectMany(id => id).ToArray());

    private static byte[] Random(int length) => RandomNumberGenerator.GetBytes(length);

    /// <summary>A write call of <paramref name="tenant"/> with its header sent, for tests that send frames their own way.</summary>
    private async Task<AsyncClientStreamingCall<WriteChunksRequest, WriteChunksResponse>> OpenWriteAsync(Guid tenant)
    {
        var call = new Storage.StorageClient(Stack.Channel(Stack.Ports[UrbStack.Storage].GrpcAddress)).WriteChunks();
        await call.RequestStream.WriteAsync(new WriteChunksRequest { Header = new WriteHeader { TenantId = tenant.ToString() } });
        return call;
    }

    private static byte[] Compressible(int length) =>
        Enumerable.Range(0, length).Select(i => (byte)("the quick brown fox "[i % 20])).ToArray();
}
