using Urb.Domain.Content.Chunking;

namespace Urb.Domain.Tests.Chunking;

/// <summary>
/// The boundaries of a fixed buffer under the default parameters, pinned. If this fails, the
/// algorithm, the gear table or the defaults changed, and with them every boundary every agent
/// cuts: existing backups would share almost no chunks with the next ones. Change it only with
/// a plan for that.
/// </summary>
public sealed class ChunkerGoldenTests
{
    // Cross-checked against an independent implementation of the definition (SplitMix64 table,
    // top-bit masks, skip MinSize, cut after the byte whose hash matches) when first pinned.
    private static readonly int[] PinnedCuts =
    [
        355119, 667371, 933709, 1015199, 1277378, 1553638, 1880882, 2172247,
        2454593, 2782366, 3045362, 3372191, 3869281, 4046618, 4194304,
    ];

    [Fact]
    public void NextCut_FixedBufferDefaultParameters_PinnedCutPoints()
    {
        var data = ChunkingTestData.PseudoRandom(4 << 20, 0x676F_6C64_656E_0001);

        var cuts = ChunkingTestData.CutPoints(ContentDefinedChunker.Default, data);

        Assert.Equal(PinnedCuts, cuts);
    }
}
