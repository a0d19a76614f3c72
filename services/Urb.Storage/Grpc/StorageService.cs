using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.ServiceDefaults.Grpc;
using Urb.Storage.Keys;
using Urb.Storage.Packs;

namespace Urb.Storage.Grpc;

/// <summary>Batched, durable chunk writes and verified, streamed reads.</summary>
public sealed class StorageService(
    TenantKeyRing keyRing,
    ChunkCodec codec,
    PackWriter writer,
    ChunkReader reader,
    DedupIndex.DedupIndexClient index,
    PackReclaimer reclaimer,
    StorageMetrics metrics,
    TimeProvider time) : Contracts.Storage.V1.Storage.StorageBase
{
    private const int MaxReadLocations = 4096;

    /// <summary>A write call holds its batch in memory until it is durable: callers send batches of tens of MiB.</summary>
    private const long MaxWriteBatchBytes = 256L * 1024 * 1024;
    private static readonly TimeSpan IndexDeadline = TimeSpan.FromSeconds(60);

    public override async Task<WriteChunksResponse> WriteChunks(IAsyncStreamReader<WriteChunksRequest> requestStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken) || requestStream.Current.KindCase != WriteChunksRequest.KindOneofCase.Header)
        {
            throw new InvalidInputException("header", "A write starts with a header naming the tenant.");
        }
        var tenant = RequestFields.Tenant(requestStream.Current.Header.TenantId);
        var verified = requestStream.Current.Header.Verified;
        var keys = await keyRing.GetAsync(tenant, cancellationToken);

        // Sealing (hash, compress, encrypt) runs beside the receiving of the next frames.
        var sealing = new List<Task<SealedChunk>>();
        var assembler = new ChunkAssembler<(bool Compressed, bool Tree, bool Dictionary)>("frame");
        var trees = new List<bool>();
        long received = 0;
        while (await requestStream.MoveNext(cancellationToken))
        {
            switch (requestStream.Current.KindCase)
            {
                case WriteChunksRequest.KindOneofCase.Frame:
                    Take(requestStream.Current.Frame);
                    break;
                case WriteChunksRequest.KindOneofCase.Frames:
                    foreach (var frame in requestStream.Current.Frames.Frames) Take(frame);
                    break;
                default:
                    throw new InvalidInputException("header", "Only the first message of a write is a header.");
            }
        }
        assembler.EnsureComplete();

        void Take(ChunkFrame frame)
        {
            received += frame.Data.Length;
            if (received > MaxWriteBatchBytes)
            {
                throw new InvalidInputException("frame", $"One write carries at most {MaxWriteBatchBytes / (1024 * 1024)} MiB; split the batch.");
            }
            if (assembler.Add(frame.ChunkId.Span, frame.Data.Memory, frame.EndOfChunk, (frame.Compressed, frame.Tree, frame.Dictionary)) is { } chunk)
            {
                sealing.Add(Task.Run(() => codec.Seal(keys, chunk.Id, chunk.Data, chunk.Info.Compressed, verified, chunk.Info.Dictionary), cancellationToken));
                trees.Add(chunk.Info.Tree);
            }
        }

        SealedChunk[] sealedChunks;
        try
        {
            sealedChunks = await Task.WhenAll(sealing);
        }
        catch (DataLossException)
        {
            metrics.RefusedChunks.Add(1);
            throw;
        }
        var locations = await writer.AppendDurablyAsync(tenant, sealedChunks, cancellationToken);
        var response = new WriteChunksResponse { Locations = { locations.Select((l, i) => ToMessage(l, trees[i])) } };
        try
        {
            await index.RegisterChunksAsync(
                new RegisterChunksRequest { TenantId = tenant.ToString(), Chunks = { response.Locations } },
                deadline: time.GetUtcNow().UtcDateTime + IndexDeadline, cancellationToken: cancellationToken);
        }
        finally
        {
            writer.Registered(tenant, locations);
        }

        metrics.ChunksWritten.Add(sealedChunks.Length);
        metrics.PlainBytesWritten.Add(sealedChunks.Sum(c => (long)c.PlainLength));
        metrics.StoredBytesWritten.Add(sealedChunks.Sum(c => (long)c.Record.Length));
        return response;
    }

    public override Task ReadChunks(ReadChunksRequest request, IServerStreamWriter<ReadChunksResponse> responseStream, ServerCallContext context)
    {
        var responses = new CoalescingResponseWriter<ReadChunksResponse>(responseStream, context);
        return ReadPiecesAsync(request, responses.WriteAsync, context);
    }

    public override async Task ReadChunkBatches(ReadChunksRequest request, IServerStreamWriter<ReadChunksBatch> responseStream, ServerCallContext context)
    {
        var batches = new GatheringResponseWriter<ReadChunksResponse, ReadChunksBatch>(
            new CoalescingResponseWriter<ReadChunksBatch>(responseStream, context), static pieces => new ReadChunksBatch { Pieces = { pieces } });
        await ReadPiecesAsync(request, batches.WriteAsync, context);
        await batches.FlushAsync(context.CancellationToken);
    }

    /// <summary>Each located chunk, in order, in pieces of at most 1 MiB handed to <paramref name="write"/> (piece, its data's size, whether the next is at hand).</summary>
    private async Task ReadPiecesAsync(
        ReadChunksRequest request, Func<ReadChunksResponse, int, bool, CancellationToken, Task> write, ServerCallContext context)
    {
        var tenant = RequestFields.Tenant(request.TenantId);
        if (request.Chunks.Count > MaxReadLocations)
        {
            throw new InvalidInputException("chunks", $"At most {MaxReadLocations} chunks per read; got {request.Chunks.Count}.");
        }
        var locations = request.Chunks.Select(RequestFields.Location).ToList();
        var keys = await keyRing.GetAsync(tenant, context.CancellationToken);
        await using var chunks = new AsyncLookahead<(ChunkReadRequest, StoredChunk)>(
            reader.ReadAsync(tenant, keys, locations, request.AsStored, request.ReadableDictionaries.ToHashSet(), context.CancellationToken), context.CancellationToken);
        while (await chunks.MoveNextAsync())
        {
            var (location, chunk) = chunks.Current;
            var data = chunk.Data;
            for (var at = 0; at < data.Length || at == 0; at += ChunkLimits.MaxFrameBytes)
            {
                var size = Math.Min(ChunkLimits.MaxFrameBytes, data.Length - at);
                var piece = new ReadChunksResponse
                {
                    Data = UnsafeByteOperations.UnsafeWrap(data.AsMemory(at, size)),
                    EndOfChunk = at + size >= data.Length,
                };
                if (at == 0)
                {
                    piece.ChunkId = ByteString.CopyFrom(location.ChunkId);
                    piece.Compressed = chunk.Compressed;
                    piece.PlainLength = chunk.PlainLength;
                }
                await write(piece, size, chunks.NextIsReady, context.CancellationToken);
                if (data.Length == 0) break;
            }
            metrics.BytesRead.Add(chunk.PlainLength);
        }
    }

    public override async Task<GetChunkIdKeyResponse> GetChunkIdKey(GetChunkIdKeyRequest request, ServerCallContext context)
    {
        var keys = await keyRing.GetAsync(RequestFields.Tenant(request.TenantId), context.CancellationToken);
        return new GetChunkIdKeyResponse { Key = ByteString.CopyFrom(keys.IdKey) };
    }

    public override async Task<ReclaimPacksResponse> ReclaimPacks(ReclaimPacksRequest request, ServerCallContext context)
    {
        var result = await reclaimer.ReclaimAsync(RequestFields.Tenant(request.TenantId), context.CancellationToken);
        return new ReclaimPacksResponse
        {
            PacksDeleted = result.Deleted, PacksRewritten = result.Rewritten, PacksRetired = result.Retired, BytesReclaimed = result.BytesReclaimed,
        };
    }

    private static ChunkLocation ToMessage(PackLocation location, bool tree) => new()
    {
        Tree = tree,
        ChunkId = ByteString.CopyFrom(location.Entry.ChunkId),
        Pack = location.Pack.Id,
        Offset = location.Entry.Offset,
        Length = location.Entry.Length,
        PlainLength = location.Entry.PlainLength,
    };
}
