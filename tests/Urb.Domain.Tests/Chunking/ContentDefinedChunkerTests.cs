using Urb.Domain.Content.Chunking;

namespace Urb.Domain.Tests.Chunking;

public sealed class ContentDefinedChunkerTests
{
    [Fact]
    public void NextCut_SameDataSeparateInstances_SameCuts()
    {
        var data = ChunkingTestData.PseudoRandom(4 << 20, 1);

        var first = ChunkingTestData.CutPoints(new ContentDefinedChunker(ChunkerParameters.Default), data);
        var second = ChunkingTestData.CutPoints(new ContentDefinedChunker(new ChunkerParameters(64 * 1024, 256 * 1024, 1024 * 1024, 2)), data);

        Assert.True(first.Count > 10);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(1024, 4096, 16384, 0)]
    [InlineData(1024, 4096, 16384, 1)]
    [InlineData(1024, 4096, 16384, 2)]
    [InlineData(1024, 4096, 16384, 3)]
    [InlineData(1001, 4096, 9999, 2)] // sizes that are not multiples of the four-byte step
    [InlineData(3, 8, 13, 1)]
    public void NextCut_RandomData_MatchesTheByteByByteDefinition(int min, int average, int max, int level)
    {
        var parameters = new ChunkerParameters(min, average, max, level);
        var chunker = new ContentDefinedChunker(parameters);
        var data = ChunkingTestData.PseudoRandom(1 << 20, 2);

        for (var at = 0; at < data.Length;)
        {
            var cut = chunker.NextCut(data.AsSpan(at));
            Assert.Equal(ChunkingTestData.ReferenceNextCut(parameters, data.AsSpan(at)), cut);
            at += cut;
        }
    }

    [Fact]
    public void NextCut_RandomData_ChunksBetweenMinAndMax()
    {
        var parameters = ChunkingTestData.Small;
        var data = ChunkingTestData.PseudoRandom(8 << 20, 3);

        var cuts = ChunkingTestData.CutPoints(new ContentDefinedChunker(parameters), data);

        var lengths = cuts.Zip(cuts.Prepend(0), (end, start) => end - start).ToList();
        Assert.All(lengths[..^1], length => Assert.InRange(length, parameters.MinSize + 1, parameters.MaxSize));
        Assert.InRange(lengths[^1], 1, parameters.MaxSize);
        Assert.Equal(data.Length, cuts[^1]);
    }

    [Fact]
    public void NextCut_AllZeroData_CutsAtMax()
    {
        var parameters = ChunkingTestData.Small;
        var data = new byte[10 * parameters.MaxSize + 5];

        var cuts = ChunkingTestData.CutPoints(new ContentDefinedChunker(parameters), data);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * parameters.MaxSize).Append(data.Length), cuts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    [InlineData(1023)]
    [InlineData(1024)]
    public void NextCut_AtMostMinBytes_WholeInput(int length)
    {
        var data = ChunkingTestData.PseudoRandom(length, 4);

        Assert.Equal(length, new ContentDefinedChunker(ChunkingTestData.Small).NextCut(data));
    }

    [Fact]
    public void NextCut_EmptyInput_Zero() =>
        Assert.Equal(0, ContentDefinedChunker.Default.NextCut([]));

    [Fact]
    public void Split_EmptyInput_NoChunks()
    {
        var count = 0;
        foreach (var _ in ContentDefinedChunker.Default.Split([])) count++;

        Assert.Equal(0, count);
    }

    [Fact]
    public void Split_RandomData_SlicesTheInputInOrder()
    {
        var chunker = new ContentDefinedChunker(ChunkingTestData.Small);
        var data = ChunkingTestData.PseudoRandom(1 << 20, 5);

        using var joined = new MemoryStream();
        var ends = new List<int>();
        foreach (var chunk in chunker.Split(data))
        {
            joined.Write(chunk);
            ends.Add((int)joined.Length);
        }

        Assert.Equal(data, joined.ToArray());
        Assert.Equal(ChunkingTestData.CutPoints(chunker, data), ends);
    }

    [Fact]
    public void Split_ManyChunks_AllocatesNothing()
    {
        var chunker = new ContentDefinedChunker(ChunkingTestData.Small);
        var data = ChunkingTestData.PseudoRandom(4 << 20, 8);
        var count = 0;
        foreach (var _ in chunker.Split(data)) count++;

        // The fewest bytes of three passes: the runtime itself may allocate on this thread once
        // (about 4 KiB when it starts tiering a method up mid-pass), code that allocates per
        // chunk allocates in every pass.
        var fewest = long.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var _ in chunker.Split(data)) count++;
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(count > 1000);
        Assert.Equal(0, fewest);
    }

    [Fact]
    public void NextCut_SpanLongerThanMax_SameAsSpanOfMax()
    {
        var chunker = new ContentDefinedChunker(ChunkingTestData.Small);
        var data = ChunkingTestData.PseudoRandom(1 << 20, 6);

        for (var at = 0; at + 2 * ChunkingTestData.Small.MaxSize < data.Length; at += 777)
        {
            Assert.Equal(chunker.NextCut(data.AsSpan(at, ChunkingTestData.Small.MaxSize)), chunker.NextCut(data.AsSpan(at)));
        }
    }

    [Theory]
    [InlineData(4096, 16384, 2)]
    [InlineData(16 * 1024, 64 * 1024, 1)]
    [InlineData(64 * 1024, 256 * 1024, 2)] // the default
    [InlineData(256 * 1024, 1024 * 1024, 2)]
    public void NextCut_64MiBOfRandomData_MeanWithinAQuarterOfTheAverage(int min, int average, int level)
    {
        var chunker = new ContentDefinedChunker(new ChunkerParameters(min, average, average * 4, level));
        var data = ChunkingTestData.PseudoRandom(64 << 20, 7);

        var count = 0;
        foreach (var _ in chunker.Split(data)) count++;

        Assert.InRange(data.Length / (double)count, 0.75 * average, 1.25 * average);
    }
}
