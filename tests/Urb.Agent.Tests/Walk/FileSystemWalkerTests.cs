using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

public class FileSystemWalkerTests
{
    [Fact]
    public void Walk_NoRoots_Throws() =>
        Assert.Throws<ArgumentException>(() => FileSystemWalker.Walk(new WalkOptions([])));

    [Fact]
    public void Walk_EmptyRootPath_Throws() =>
        Assert.ThrowsAny<ArgumentException>(() => FileSystemWalker.Walk(new WalkOptions([new WalkRoot("")])));

    [Fact]
    public void Entries_EnumeratedTwice_Throws()
    {
        using var tree = new TempTree();
        var walk = FileSystemWalker.Walk(new WalkOptions([new WalkRoot(tree.Root)]));

        Assert.Single(walk.Entries);
        Assert.Throws<InvalidOperationException>(() => walk.Entries.ToList());
    }

    [Fact]
    public void Entries_Cancelled_Throws()
    {
        using var tree = new TempTree();
        tree.WriteFile("a");
        using var cancellation = new CancellationTokenSource();
        var walk = FileSystemWalker.Walk(new WalkOptions([new WalkRoot(tree.Root)]), cancellation.Token);

        using var entries = walk.Entries.GetEnumerator();
        Assert.True(entries.MoveNext());
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => entries.MoveNext());
    }

    [Fact]
    public void Entries_AbandonedHalfway_ClosesEveryDirectory()
    {
        using var tree = new TempTree();
        tree.WriteFile("a/b/c/d/e");
        var walk = FileSystemWalker.Walk(new WalkOptions([new WalkRoot(tree.Root)]));

        using (var entries = walk.Entries.GetEnumerator())
        {
            while (entries.MoveNext() && entries.Current.RelativePath != "a/b/c/d/e") { }
            Assert.Equal(5, OpenDescriptorsUnder(tree.Root));
        }

        Assert.Equal(0, OpenDescriptorsUnder(tree.Root));
    }

    /// <summary>This process's descriptors open on the tree (other tests' trees are elsewhere).</summary>
    private static int OpenDescriptorsUnder(string root) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is { } target && (target == root || target.StartsWith(root + "/", StringComparison.Ordinal)));
}
