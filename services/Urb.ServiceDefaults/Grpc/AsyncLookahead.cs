namespace Urb.ServiceDefaults.Grpc;

/// <summary>
/// An async sequence read one item ahead: while the caller handles <see cref="Current"/>, the
/// next item is already on its way, and <see cref="NextIsReady"/> tells whether it has arrived.
/// A <see cref="CoalescingResponseWriter{T}"/> flushes when it has not, so what is written never
/// waits for a slow source, and is sent in batches while the source keeps up.
/// </summary>
/// <remarks>The source's items must stay valid after the source moves on (each a new object, as
/// gRPC readers and the chunk readers give them).</remarks>
public sealed class AsyncLookahead<T> : IAsyncDisposable
{
    private readonly IAsyncEnumerator<T> source;
    // A Task, not the source's ValueTask: it is awaited by MoveNextAsync and once more by
    // DisposeAsync. Before the first MoveNextAsync it stands for "nothing read yet".
    private Task<bool> next = Task.FromResult(false);
    private bool started;

    public AsyncLookahead(IAsyncEnumerable<T> items, CancellationToken cancellationToken)
    {
        source = items.GetAsyncEnumerator(cancellationToken);
    }

    public T Current { get; private set; } = default!;

    /// <summary>Whether the item after <see cref="Current"/> (or the end) is known without waiting.</summary>
    public bool NextIsReady => started && next.IsCompleted;

    public async ValueTask<bool> MoveNextAsync()
    {
        if (!started)
        {
            next = source.MoveNextAsync().AsTask();
            started = true;
        }
        if (!await next) return false;
        Current = source.Current;
        next = source.MoveNextAsync().AsTask();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        // The read ahead must end before the source is disposed (an async iterator refuses
        // disposal while a MoveNextAsync runs). When the caller stopped early (it failed or was
        // cancelled), the read ahead's own failure is of no use to it: disposal does not throw.
        await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await source.DisposeAsync();
    }
}
