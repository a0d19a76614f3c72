namespace Urb.ServiceDefaults.Grpc;

/// <summary>
/// Writes a server stream's items several per message: items are gathered up to
/// <see cref="TargetBytes"/>, or until the caller has nothing more ready, and then go
/// as one message made by <c>gather</c>. A file tree is mostly small objects, and every message
/// costs each side about the same whatever its size (HTTP/2 framing, the reads and writes around
/// it, a thread-pool hand-off), so tens of thousands of them cost more than their bytes. An item
/// never waits behind a slow source: what is gathered goes as soon as the next item is not at hand.
/// </summary>
public sealed class GatheringResponseWriter<TItem, TMessage>(CoalescingResponseWriter<TMessage> stream, Func<List<TItem>, TMessage> gather)
{
    /// <summary>
    /// Bytes of items per message at most, unless one item is larger (it then goes alone). Half a
    /// MiB keeps a message, with its framing, below the 1 MiB arrays the receiver's buffer pool
    /// keeps: larger messages were new arrays each, and a restore's peak memory grew by 20 MiB.
    /// </summary>
    public const int TargetBytes = 512 * 1024;

    private List<TItem>? gathered;
    private int gatheredBytes;

    /// <summary>Adds <paramref name="item"/> of <paramref name="sizeBytes"/>; sends the message once it is full or <paramref name="moreReady"/> is false.</summary>
    public async Task WriteAsync(TItem item, int sizeBytes, bool moreReady, CancellationToken cancellationToken)
    {
        if (gatheredBytes + sizeBytes > TargetBytes) await SendAsync(moreReady: true, cancellationToken);
        (gathered ??= []).Add(item);
        gatheredBytes += sizeBytes;
        if (!moreReady || gatheredBytes >= TargetBytes) await SendAsync(moreReady, cancellationToken);
    }

    /// <summary>Sends what is gathered and flushes (before the call ends).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => SendAsync(moreReady: false, cancellationToken);

    private async Task SendAsync(bool moreReady, CancellationToken cancellationToken)
    {
        if (gathered is null)
        {
            if (!moreReady) await stream.FlushAsync(cancellationToken);
            return;
        }
        var message = gather(gathered);
        var size = gatheredBytes;
        (gathered, gatheredBytes) = (null, 0);
        await stream.WriteAsync(message, size, moreReady, cancellationToken);
    }
}
