using System.Numerics;
using Urb.Domain.Content;
using Urb.Domain.Content.Chunking;

namespace Urb.Domain.Tests.Chunking;

public sealed class ChunkerParametersTests
{
    [Theory]
    [InlineData(0, 13, 13)]
    [InlineData(1, 14, 12)]
    [InlineData(2, 15, 11)]
    [InlineData(3, 16, 10)]
    public void Constructor_ValidSizes_StrictMaskBeforeAndLooseMaskAfterTheAverage(int level, int strictBits, int looseBits)
    {
        var parameters = new ChunkerParameters(2048, 8192, 32768, level);

        Assert.Equal(strictBits, BitOperations.PopCount(parameters.StrictMask));
        Assert.Equal(looseBits, BitOperations.PopCount(parameters.LooseMask));
        // Top bits: they depend on the whole 64-byte window of the gear hash.
        Assert.Equal(0, BitOperations.LeadingZeroCount(parameters.StrictMask));
        Assert.Equal(0, BitOperations.LeadingZeroCount(parameters.LooseMask));
        Assert.Equal(64 - strictBits, BitOperations.TrailingZeroCount(parameters.StrictMask));
        Assert.Equal(64 - looseBits, BitOperations.TrailingZeroCount(parameters.LooseMask));
    }

    [Theory]
    [InlineData(0, 4096, 16384, 2)] // no minimum
    [InlineData(-1, 4096, 16384, 2)]
    [InlineData(4096, 4096, 16384, 2)] // min = avg
    [InlineData(8192, 4096, 16384, 2)] // min > avg
    [InlineData(1024, 4096, 4096, 2)] // max = avg
    [InlineData(1024, 4096, 2048, 2)] // max < avg
    [InlineData(1024, 3000, 16384, 2)] // avg not a power of two
    [InlineData(1024, 4096, ChunkLimits.MaxChunkBytes + 1, 2)] // max above the data path's limit
    [InlineData(1024, 4096, 16384, -1)]
    [InlineData(1024, 4096, 16384, 4)] // level above the maximum
    [InlineData(1, 2, 4, 1)] // a one-bit average leaves no bit for the loose mask
    public void Constructor_BadCombination_ThrowsArgumentOutOfRange(int min, int average, int max, int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkerParameters(min, average, max, level));

    [Fact]
    public void Constructor_MaxAtTheChunkLimit_IsAccepted()
    {
        var parameters = new ChunkerParameters(1 << 20, 4 << 20, ChunkLimits.MaxChunkBytes, 2);

        Assert.Equal(ChunkLimits.MaxChunkBytes, parameters.MaxSize);
    }

    [Fact]
    public void Default_Always_IsTheMeasuredChoice()
    {
        var parameters = ChunkerParameters.Default;

        // bench/RESULTS.md, "Content-defined chunking parameters": changing these moves every boundary.
        Assert.Equal(64 * 1024, parameters.MinSize);
        Assert.Equal(256 * 1024, parameters.AverageSize);
        Assert.Equal(1024 * 1024, parameters.MaxSize);
        Assert.Equal(2, parameters.NormalizationLevel);
        Assert.True(parameters.MaxSize <= ChunkLimits.MaxFrameBytes, "a chunk fits in one gRPC frame");
    }
}
