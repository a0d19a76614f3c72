namespace Urb.Domain.Content.Chunking;

/// <summary>
/// The 256 random-looking 64-bit values the gear hash adds, one per byte value. They are made at
/// type initialisation by SplitMix64 from <see cref="Seed"/>, so the table is part of the code
/// rather than data that could drift.
/// </summary>
/// <remarks>
/// Every chunk boundary every agent has ever cut depends on these values: changing the seed or
/// the generator moves every boundary, so a file backed up before and after the change shares
/// almost no chunks and the next backup re-sends everything. Do not change it; the golden test
/// (ChunkerGoldenTests) fails loudly if it moves.
/// </remarks>
public static class GearTable
{
    /// <summary>The SplitMix64 seed: the ASCII bytes of "UrbGear1".</summary>
    public const ulong Seed = 0x5572_6247_6561_7231;

    // A static readonly array: the JIT treats its address as a constant in the hot loop.
    internal static readonly ulong[] Table = Generate();

    /// <summary>The table, indexed by byte value.</summary>
    public static ReadOnlySpan<ulong> Values => Table;

    private static ulong[] Generate()
    {
        var values = new ulong[256];
        var state = Seed;
        for (var i = 0; i < values.Length; i++)
        {
            // SplitMix64 (Steele, Lea and Flood, 2014): a Weyl sequence through a 64-bit finaliser.
            state += 0x9E37_79B9_7F4A_7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            values[i] = z ^ (z >> 31);
        }
        return values;
    }
}
