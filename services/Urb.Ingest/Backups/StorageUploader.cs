using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;

namespace Urb.Ingest.Backups;

/// <summary>
/// Hands a backup's verified objects to Urb.Storage in write calls of about
/// <see cref="CallTargetBytes"/>. A call's answer comes once its chunks are durable and
/// registered with the index; a couple of calls may be awaiting their answer while the next
/// fills, and <see cref="FlushAsync"/> waits for all of them before a snapshot may refer to them.
/// Frames go in messages of about <see cref="MessageTargetBytes"/> (<see cref="ChunkFrames"/>):
/// most objects are a few KiB, and each message costs both sides about the same whatever its size.
/// </summary>
public sealed class StorageUploader(Storage.StorageClient storage, Guid tenant, CancellationToken cancellationToken) : IDisposable
{
    /// <summary>
    /// Storage holds a call's chunks until the call ends, then writes, fsyncs and registers them
    /// all: what the last call holds when the commit comes is written after it, while the agent
    /// waits. With 64 MiB calls that tail was 1.2-1.3 s of an initial backup's commit, with 16 MiB
    /// 0.7-0.95 s, at the same services' CPU (bench/RESULTS.md, 2026-11-28).
    /// </summary>
    public const long CallTargetBytes = 16L * 1024 * 1024;

    /// <summary>Calls awaiting their answer while the next fills. Storage holds each one's chunks in
    /// memory until they are durable: 64 MiB of one backup at most, half of what two 64 MiB calls held.</summary>
    private const int MaxUnanswered = 4;

    /// <summary>Frames are gathered into one message until it holds this much.</summary>
    public const int MessageTargetBytes = ChunkLimits.MaxFrameBytes;

    private readonly Queue<Task> unanswered = new();
    private AsyncClientStreamingCall<WriteChunksRequest, WriteChunksResponse>? call;
    private long callBytes;
    private ChunkFrames? gathered;
    private int gatheredBytes;

    /// <param name="tree">The object is a snapshot tree: the index records it, so garbage collection can keep what a reusable tree names.</param>
    /// <param name="dictionary">The object holds a compression dictionary: storage marks its record for rebuild-index.</param>
    public async Task WriteAsync(byte[] id, ReadOnlyMemory<byte> data, bool compressed, bool tree, bool dictionary = false)
    {
        if (call is null)
        {
            call = storage.WriteChunks(cancellationToken: cancellationToken);
            await call.RequestStream.WriteAsync(new WriteChunksRequest { Header = new WriteHeader { TenantId = tenant.ToString(), Verified = true } }, cancellationToken);
        }
        foreach (var (offset, length) in ChunkLimits.Frames(data.Length))
        {
            var frame = new ChunkFrame
            {
                Data = UnsafeByteOperations.UnsafeWrap(data.Slice(offset, length)),
                EndOfChunk = offset + length == data.Length,
            };
            if (offset == 0)
            {
                frame.ChunkId = UnsafeByteOperations.UnsafeWrap(id);
                frame.Compressed = compressed;
                frame.Tree = tree;
                frame.Dictionary = dictionary;
            }
            (gathered ??= new ChunkFrames()).Frames.Add(frame);
            gatheredBytes += length;
            if (gatheredBytes >= MessageTargetBytes) await SendGatheredAsync();
        }
        callBytes += data.Length;
        if (callBytes >= CallTargetBytes) await EndCallAsync();
    }

    private async Task SendGatheredAsync()
    {
        if (gathered is null) return;
        var frames = gathered;
        (gathered, gatheredBytes) = (null, 0);
        await call!.RequestStream.WriteAsync(new WriteChunksRequest { Frames = frames }, cancellationToken);
    }

    /// <summary>Returns once everything written is durable and registered.</summary>
    public async Task FlushAsync()
    {
        if (call is not null) await EndCallAsync();
        while (unanswered.Count > 0) await unanswered.Dequeue();
    }

    private async Task EndCallAsync()
    {
        await SendGatheredAsync();
        var ending = call!;
        call = null;
        callBytes = 0;
        await ending.RequestStream.CompleteAsync();
        unanswered.Enqueue(AnswerAsync(ending));
        while (unanswered.Count > MaxUnanswered) await unanswered.Dequeue();
    }

    private static async Task AnswerAsync(AsyncClientStreamingCall<WriteChunksRequest, WriteChunksResponse> ending)
    {
        using (ending)
        {
            await ending.ResponseAsync;
        }
    }

    /// <summary>Abandons a call still open (the backup failed): storage drops what it had not made durable.</summary>
    public void Dispose()
    {
        gathered = null;
        call?.Dispose();
        call = null;
    }
}
