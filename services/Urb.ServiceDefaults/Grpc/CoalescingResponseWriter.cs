using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Urb.ServiceDefaults.Grpc;

/// <summary>
/// Writes a server stream's messages without flushing each one. By default every
/// <see cref="IServerStreamWriter{T}.WriteAsync(T)"/> flushes: one HTTP/2 DATA frame, one TLS
/// record and one send per message. A restore sends tens of thousands of small messages (most
/// files and chunks are a few KiB), so per-message costs outweighed the bytes on every hop.
/// Here messages are written with <see cref="WriteFlags.BufferHint"/> and flushed together when
/// <see cref="FlushThresholdBytes"/> have gathered or when the caller has nothing more ready, so
/// a message never waits behind a slow source.
/// </summary>
public sealed class CoalescingResponseWriter<T>
{
    /// <summary>Unflushed bytes that trigger a flush: enough to fill several frames, far below the 8 MiB stream window.</summary>
    public const int FlushThresholdBytes = 256 * 1024;

    private readonly IServerStreamWriter<T> stream;
    private readonly HttpResponse response;
    private long unflushedBytes;
    private bool unflushed;

    public CoalescingResponseWriter(IServerStreamWriter<T> stream, ServerCallContext context)
    {
        this.stream = stream;
        response = context.GetHttpContext().Response;
        stream.WriteOptions = new WriteOptions(WriteFlags.BufferHint);
    }

    /// <summary>
    /// Writes <paramref name="message"/> of <paramref name="sizeBytes"/>; flushes when enough has
    /// gathered or when <paramref name="moreReady"/> is false (the next message is not at hand).
    /// </summary>
    public async Task WriteAsync(T message, int sizeBytes, bool moreReady, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(message, cancellationToken);
        unflushedBytes += sizeBytes;
        unflushed = true;
        if (!moreReady || unflushedBytes >= FlushThresholdBytes) await FlushAsync(cancellationToken);
    }

    /// <summary>Sends what has gathered (the end of the call flushes too).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!unflushed) return;
        unflushed = false;
        unflushedBytes = 0;
        await response.BodyWriter.FlushAsync(cancellationToken);
    }
}
