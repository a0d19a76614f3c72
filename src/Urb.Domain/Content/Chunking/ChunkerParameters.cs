using System.Numerics;

namespace Urb.Domain.Content.Chunking;

/// <summary>
/// The sizes that decide where <see cref="ContentDefinedChunker"/> cuts, and the two masks of
/// normalized chunking (FastCDC, Xia et al. 2016) derived from them. Two agents dedupe against
/// each other only when they cut with equal parameters, so a repository keeps one set forever.
/// </summary>
/// <remarks>
/// A cut is allowed where the top bits of the gear hash selected by a mask are all zero. With
/// <c>b = log2(AverageSize)</c> and normalization level <c>n</c>, the strict mask has <c>b + n</c>
/// bits and applies while the chunk is shorter than <see cref="AverageSize"/>; the loose mask has
/// <c>b - n</c> bits and applies after. Cuts therefore cluster around the average instead of
/// following the long geometric tail of plain gear chunking. The masks take the top bits because
/// bit <c>k</c> of the hash depends only on the last <c>64 - k</c> bytes: the top bits see the
/// whole 64-byte window, the low ones almost nothing.
/// </remarks>
public sealed class ChunkerParameters
{
    /// <summary>The largest normalization level accepted (FastCDC's paper studies levels 1 to 3).</summary>
    public const int MaxNormalizationLevel = 3;

    /// <summary>
    /// What every Urb repository cuts with: average 256 KiB, minimum 64 KiB, maximum 1 MiB (so a
    /// chunk's plaintext always fits one gRPC frame, <see cref="ChunkLimits.MaxFrameBytes"/>),
    /// normalization level 2. Chosen from measurements on the benchmark data set
    /// (bench/RESULTS.md, "Content-defined chunking parameters"). Changing it moves every
    /// boundary, as changing <see cref="GearTable"/> does.
    /// </summary>
    public static ChunkerParameters Default { get; } = new(64 * 1024, 256 * 1024, 1024 * 1024, 2);

    public ChunkerParameters(int minSize, int averageSize, int maxSize, int normalizationLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(averageSize, minSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxSize, averageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, ChunkLimits.MaxChunkBytes);
        if (!BitOperations.IsPow2(averageSize))
        {
            throw new ArgumentOutOfRangeException(nameof(averageSize), averageSize, "The average chunk size must be a power of two.");
        }
        var bits = BitOperations.Log2((uint)averageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(normalizationLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(normalizationLevel, Math.Min(MaxNormalizationLevel, bits - 1));

        MinSize = minSize;
        AverageSize = averageSize;
        MaxSize = maxSize;
        NormalizationLevel = normalizationLevel;
        StrictMask = TopBits(bits + normalizationLevel);
        LooseMask = TopBits(bits - normalizationLevel);
    }

    /// <summary>No chunk is shorter, except the last one of a stream (or a stream that is shorter).</summary>
    public int MinSize { get; }

    /// <summary>The size around which cut points cluster: a power of two.</summary>
    public int AverageSize { get; }

    /// <summary>No chunk is longer: a chunk with no cut point in range ends here.</summary>
    public int MaxSize { get; }

    /// <summary>How many bits the strict mask adds and the loose mask drops (0 = plain gear chunking).</summary>
    public int NormalizationLevel { get; }

    /// <summary>The mask tested while the chunk is shorter than <see cref="AverageSize"/>.</summary>
    public ulong StrictMask { get; }

    /// <summary>The mask tested from <see cref="AverageSize"/> on.</summary>
    public ulong LooseMask { get; }

    public override string ToString() =>
        $"min {MinSize}, average {AverageSize}, max {MaxSize}, normalization {NormalizationLevel}";

    private static ulong TopBits(int count) => ~0UL << (64 - count);
}
