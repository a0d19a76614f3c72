using Urb.Domain.Content.Chunking;

namespace Urb.Domain.Tests.Chunking;

public sealed class StreamChunkerTests
{
    [Theory]
    [InlineData(1, 1 << 20)]
    [InlineData(4096, 5 << 20)]
    [InlineData(1 << 20, 5 << 20)]
    [InlineData(7 << 20, 5 << 20)]
    public async Task ReadChunksAsync_AnyReadSize_SameChunksAsTheSpanApi(int readSize, int length)
    {
        var data = ChunkingTestData.PseudoRandom(length, 20);
        var expected = ChunkingTestData.CutPoints(ContentDefinedChunker.Default, data);

        var cuts = new List<int>();
        var end = 0;
        await foreach (var chunk in StreamChunker.ReadChunksAsync(new TrickleStream(data, readSize), ContentDefinedChunker.Default))
        {
            Assert.True(chunk.Span.SequenceEqual(data.AsSpan(end, chunk.Length)));
            end += chunk.Length;
            cuts.Add(end);
        }

        Assert.Equal(expected, cuts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task ChunkAsync_ManySmallChunks_SameChunksAsTheSpanApi(int readSize)
    {
        // Small chunks through a buffer of four times MaxSize: the unconsumed tail moves to the
        // front of the buffer many times.
        var chunker = new ContentDefinedChunker(ChunkingTestData.Small);
        var data = ChunkingTestData.PseudoRandom(2 << 20, 21);
        var expected = ChunkingTestData.CutPoints(chunker, data);

        var cuts = new List<int>();
        var end = 0;
        await StreamChunker.ChunkAsync(new TrickleStream(data, readSize), chunker, (chunk, _) =>
        {
            Assert.True(chunk.Span.SequenceEqual(data.AsSpan(end, chunk.Length)));
            end += chunk.Length;
            cuts.Add(end);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(expected, cuts);
    }

    [Fact]
    public async Task ReadChunksAsync_ManyChunks_AllocatesNothingPerChunk()
    {
        // A MemoryStream completes every read synchronously, so the whole enumeration stays on
        // this thread and its allocation counter sees everything.
        var chunker = new ContentDefinedChunker(ChunkingTestData.Small);
        var data = ChunkingTestData.PseudoRandom(16 << 20, 24);
        await CountAsync(); // rents the pooled buffer once and warms up the code

        // The fewest bytes of three passes: the runtime may allocate on this thread once (about
        // 4 KiB when it starts tiering a method up), per-chunk allocations would show in each.
        var (count, fewest) = (0, long.MaxValue);
        for (var pass = 0; pass < 3; pass++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            count = await CountAsync();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(count > 3000);
        Assert.InRange(fewest, 0, 4096); // the stream and the enumerator, once

        async Task<int> CountAsync()
        {
            var chunks = 0;
            using var stream = new MemoryStream(data);
            await foreach (var _ in StreamChunker.ReadChunksAsync(stream, chunker)) chunks++;
            return chunks;
        }
    }

    [Fact]
    public async Task ReadChunksAsync_EmptyStream_NoChunks()
    {
        var count = 0;
        await foreach (var _ in StreamChunker.ReadChunksAsync(new MemoryStream(), ContentDefinedChunker.Default)) count++;

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task ReadChunksAsync_StreamShorterThanMin_OneChunk()
    {
        var data = ChunkingTestData.PseudoRandom(1000, 22);

        var chunks = new List<byte[]>();
        await foreach (var chunk in StreamChunker.ReadChunksAsync(new MemoryStream(data), ContentDefinedChunker.Default)) chunks.Add(chunk.ToArray());

        Assert.Equal(data, Assert.Single(chunks));
    }

    [Fact]
    public async Task ChunkAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var data = ChunkingTestData.PseudoRandom(4 << 20, 23);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StreamChunker.ChunkAsync(new TrickleStream(data, 4096), ContentDefinedChunker.Default, (_, _) =>
        {
            cancellation.Cancel();
            return ValueTask.CompletedTask;
        }, cancellation.Token));
    }
}
