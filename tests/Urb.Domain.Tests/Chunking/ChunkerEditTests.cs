using Urb.Domain.Content.Chunking;

namespace Urb.Domain.Tests.Chunking;

/// <summary>What content-defined chunking is for: an edit moves only the boundaries near it.</summary>
public sealed class ChunkerEditTests
{
    private const int Size = 16 << 20;
    private const int EditAt = Size / 4;
    private const int EditLength = 100;
    // The cut points after the edit that may move before the chunker falls back into step.
    private const int Resynchronising = 3;

    [Fact]
    public void NextCut_InsertEarlierInTheFile_LaterBoundariesShiftByTheInsert()
    {
        var original = ChunkingTestData.PseudoRandom(Size, 10);
        var inserted = ChunkingTestData.PseudoRandom(EditLength, 11);
        var edited = original[..EditAt].Concat(inserted).Concat(original[EditAt..]).ToArray();

        AssertBoundariesKept(original, edited, EditLength);
    }

    [Fact]
    public void NextCut_DeleteEarlierInTheFile_LaterBoundariesShiftByTheDeletion()
    {
        var original = ChunkingTestData.PseudoRandom(Size, 12);
        var edited = original[..EditAt].Concat(original[(EditAt + EditLength)..]).ToArray();

        AssertBoundariesKept(original, edited, -EditLength);
    }

    private static void AssertBoundariesKept(byte[] original, byte[] edited, int shift)
    {
        var chunker = ContentDefinedChunker.Default;
        var before = ChunkingTestData.CutPoints(chunker, original);
        var after = ChunkingTestData.CutPoints(chunker, edited).ToHashSet();

        // Cuts before the edit are untouched; of those after it, only the first few may move.
        var untouched = before.Where(cut => cut < EditAt).ToList();
        Assert.All(untouched, cut => Assert.Contains(cut, after));
        var later = before.Where(cut => cut >= EditAt).ToList();
        Assert.True(later.Count > 30);
        var moved = later.Select((cut, i) => (cut, i)).Where(c => !after.Contains(c.cut + shift)).Select(c => c.i).ToList();
        Assert.All(moved, i => Assert.InRange(i, 0, Resynchronising - 1));
    }
}
