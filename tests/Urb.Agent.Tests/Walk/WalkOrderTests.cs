using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

public class WalkOrderTests
{
    [Fact]
    public void Walk_Tree_DepthFirstWithEachDirectoryBeforeItsChildren()
    {
        using var tree = new TempTree();
        tree.WriteFile("b/z.txt");
        tree.WriteFile("b/a/deep.txt");
        tree.WriteFile("a.txt");
        tree.WriteFile("c");
        tree.MakeDirectory("B");

        var walked = Walked.Of(tree.Root);

        Assert.Equal(["", "B", "a.txt", "b", "b/a", "b/a/deep.txt", "b/z.txt", "c"], walked.Paths);
    }

    [Fact]
    public void Walk_Names_SortedByTheirUtf8Bytes()
    {
        // UTF-16 ordinal order would put U+1F600 (a surrogate pair, 0xD83D...) before U+E000;
        // by UTF-8 bytes (EE 80 80 < F0 9F 98 80) it comes after.
        using var tree = new TempTree();
        string[] names = ["\U0001F600", "\uE000", "é", "z", "Z", "a b", "a", "-", "10", "9"];
        foreach (var name in names) tree.WriteFile(name);

        var walked = Walked.Of(tree.Root);

        Assert.Equal(["", "-", "10", "9", "Z", "a", "a b", "z", "é", "\uE000", "\U0001F600"], walked.Paths);
    }

    [Fact]
    public void Walk_UnicodeAndSpaces_NamesKeptExactly()
    {
        using var tree = new TempTree();
        string[] paths = ["  leading and trailing  ", "日本語/ファイル名.txt", "Ünïcödé dir/naïve résumé.pdf", "emoji 🎉/🎂", "tab\there", "new\nline"];
        foreach (var path in paths) tree.WriteFile(path, path);

        var walked = Walked.Of(tree.Root);

        foreach (var path in paths)
        {
            var entry = walked[path];
            Assert.Equal(WalkEntryKind.File, entry.Kind);
            Assert.Equal(path, File.ReadAllText(entry.AbsolutePath));
        }
        Assert.Equal("naïve résumé.pdf", walked["Ünïcödé dir/naïve résumé.pdf"].Name);
    }

    [Fact]
    public void Walk_SameTreeTwice_SameSequence()
    {
        using var tree = new TempTree();
        for (var i = 0; i < 50; i++) tree.WriteFile($"d{i % 7}/sub{i % 3}/f{i}");

        var first = Walked.Of(tree.Root).Entries;
        var second = Walked.Of(tree.Root).Entries;

        Assert.Equal(first, second);
        Assert.Equal(1 + 7 + 21 + 50, first.Count);
    }

    [Fact]
    public void Walk_SeveralRoots_WalkedInOrderWithTheirIndex()
    {
        using var one = new TempTree();
        using var two = new TempTree();
        one.WriteFile("x");
        two.WriteFile("y");

        var walked = Walked.Of(new WalkRoot(two.Root), new WalkRoot(one.Root));

        Assert.Equal([(0, ""), (0, "y"), (1, ""), (1, "x")], walked.Entries.Select(e => (e.RootIndex, e.RelativePath)));
        Assert.Equal(Path.Combine(one.Root, "x"), walked["x"].AbsolutePath);
    }

    [Fact]
    public void Walk_RootInsideAnEarlierRoot_SkippedAsAlreadyWalked()
    {
        using var tree = new TempTree();
        tree.WriteFile("inner/x");

        var walked = Walked.Of(new WalkRoot(tree.Root), new WalkRoot(tree.PathOf("inner")));

        var second = walked.Entries[^1];
        Assert.Equal((1, WalkEntryKind.Skipped), (second.RootIndex, second.Kind));
        Assert.Contains("already walked", second.Note, StringComparison.Ordinal);
    }
}
