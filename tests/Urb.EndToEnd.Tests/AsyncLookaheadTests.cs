using System.Runtime.CompilerServices;
using Urb.ServiceDefaults.Grpc;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The one-ahead reader the services' streaming responses use to decide when to flush: it hands
/// out every item in order, tells whether the next one has arrived, and ends cleanly however the
/// caller stops.
/// </summary>
public sealed class AsyncLookaheadTests
{
    [Fact]
    public async Task ReadsEveryItemInOrder_AndKnowsTheEndWithoutWaiting()
    {
        await using var items = new AsyncLookahead<int>(Immediate(1, 2, 3), CancellationToken.None);
        var read = new List<int>();
        while (await items.MoveNextAsync())
        {
            read.Add(items.Current);
            Assert.True(items.NextIsReady, "a source that never waits always has its next item ready");
        }

        Assert.Equal([1, 2, 3], read);
        Assert.False(await items.MoveNextAsync());
    }

    [Fact]
    public async Task NextIsReady_IsFalseWhileTheSourceWaits_AndTrueOnceTheItemCame()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var items = new AsyncLookahead<int>(Gated(gate.Task), CancellationToken.None);

        Assert.False(items.NextIsReady, "nothing is read before the first MoveNextAsync");
        Assert.True(await items.MoveNextAsync());
        Assert.Equal(1, items.Current);
        Assert.False(items.NextIsReady, "the second item waits behind the gate");

        gate.SetResult();
        Assert.True(await items.MoveNextAsync());
        Assert.Equal(2, items.Current);
        Assert.False(await items.MoveNextAsync());
    }

    [Fact]
    public async Task SourceFailure_ReachesTheCallerAtTheItemThatFailed()
    {
        await using var items = new AsyncLookahead<int>(FailingAfterOne(), CancellationToken.None);

        Assert.True(await items.MoveNextAsync());
        Assert.Equal(1, items.Current);
        var failure = await Assert.ThrowsAsync<InvalidDataException>(async () => await items.MoveNextAsync());
        Assert.Equal("damaged", failure.Message);
    }

    [Fact]
    public async Task DisposedWhileTheReadAheadFails_DisposesTheSourceWithoutThrowing()
    {
        var disposed = new StrongBox<bool>();
        var items = new AsyncLookahead<int>(FailingAfterOne(disposed), CancellationToken.None);
        Assert.True(await items.MoveNextAsync());

        await items.DisposeAsync();

        Assert.True(disposed.Value, "the source's finally ran");
    }

    [Fact]
    public async Task CancelledWhileTheSourceWaits_EndsTheReadAheadAndDisposes()
    {
        using var cancel = new CancellationTokenSource();
        var disposed = new StrongBox<bool>();
        var items = new AsyncLookahead<int>(WaitingForever(disposed), cancel.Token);
        Assert.True(await items.MoveNextAsync());

        await cancel.CancelAsync();
        await items.DisposeAsync();

        Assert.True(disposed.Value, "the source's finally ran");
    }

    private static async IAsyncEnumerable<int> Immediate(params int[] values)
    {
        foreach (var value in values)
        {
            await Task.CompletedTask;
            yield return value;
        }
    }

    private static async IAsyncEnumerable<int> Gated(Task gate)
    {
        yield return 1;
        await gate;
        yield return 2;
    }

    private static async IAsyncEnumerable<int> FailingAfterOne(StrongBox<bool>? disposed = null)
    {
        try
        {
            yield return 1;
            await Task.Yield();
            throw new InvalidDataException("damaged");
        }
        finally
        {
            disposed?.Value = true;
        }
    }

    private static async IAsyncEnumerable<int> WaitingForever(StrongBox<bool> disposed, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            yield return 1;
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield return 2;
        }
        finally
        {
            disposed.Value = true;
        }
    }
}
