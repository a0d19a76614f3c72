using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

/// <summary>Comparisons of pack entries by value (their chunk IDs are arrays).</summary>
internal static class PackAssert
{
    public static void SameEntries(IReadOnlyList<PackEntry> expected, IReadOnlyList<PackEntry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].ChunkId, actual[i].ChunkId);
            Assert.Equal((expected[i].Offset, expected[i].Length, expected[i].PlainLength), (actual[i].Offset, actual[i].Length, actual[i].PlainLength));
        }
    }
}
