using System.Buffers.Binary;
using Urb.Domain.Content.Chunking;

namespace Urb.Domain.Tests.Chunking;

/// <summary>Data and a reference cutter for the chunking tests.</summary>
internal static class ChunkingTestData
{
    /// <summary>Small sizes, so that short buffers hold many chunks.</summary>
    public static ChunkerParameters Small { get; } = new(1024, 4096, 16384, 2);

    /// <summary>
    /// Pseudo-random bytes from SplitMix64, little-endian. Written out here rather than taken
    /// from System.Random, whose seeded sequence is not promised to stay the same across .NET
    /// versions: the golden test depends on these bytes never changing.
    /// </summary>
    public static byte[] PseudoRandom(int length, ulong seed)
    {
        var data = new byte[length];
        Span<byte> word = stackalloc byte[8];
        var state = seed;
        for (var at = 0; at < length; at += 8)
        {
            state += 0x9E37_79B9_7F4A_7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            BinaryPrimitives.WriteUInt64LittleEndian(word, z ^ (z >> 31));
            word[..Math.Min(8, length - at)].CopyTo(data.AsSpan(at));
        }
        return data;
    }

    /// <summary>The end offsets of all chunks of <paramref name="data"/>.</summary>
    public static List<int> CutPoints(ContentDefinedChunker chunker, ReadOnlySpan<byte> data)
    {
        var cuts = new List<int>();
        var at = 0;
        while (at < data.Length)
        {
            at += chunker.NextCut(data[at..]);
            cuts.Add(at);
        }
        return cuts;
    }

    /// <summary>The chunker's definition, one byte at a time and without tricks, to check the fast one against.</summary>
    public static int ReferenceNextCut(ChunkerParameters parameters, ReadOnlySpan<byte> data)
    {
        if (data.Length <= parameters.MinSize) return data.Length;
        var end = Math.Min(data.Length, parameters.MaxSize);
        ulong hash = 0;
        for (var i = parameters.MinSize; i < end; i++)
        {
            hash = (hash << 1) + GearTable.Values[data[i]];
            var mask = i < parameters.AverageSize ? parameters.StrictMask : parameters.LooseMask;
            if ((hash & mask) == 0) return i + 1;
        }
        return end;
    }
}
