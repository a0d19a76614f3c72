using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

public class WalkSymlinkTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Walk_SymlinkLoop_RecordsBothLinksAndEnds(bool follow)
    {
        using var tree = new TempTree();
        tree.Symlink("a", "b");
        tree.Symlink("b", "a");

        var walked = Walked.Of(new WalkRoot(tree.Root) { FollowSymlinks = follow });

        Assert.Equal(["", "a", "b"], walked.Paths);
        Assert.All(walked.Entries.Skip(1), e => Assert.Equal(WalkEntryKind.Symlink, e.Kind));
        Assert.Equal("b", walked["a"].SymlinkTarget);
        if (follow) Assert.Contains("not followed", walked["a"].Note, StringComparison.Ordinal);
        Assert.False(walked.CompletedWithWarnings);
    }

    [Fact]
    public void Walk_SymlinkToAncestorNotFollowed_RecordedAsLink()
    {
        using var tree = new TempTree();
        tree.WriteFile("d/e/f.txt");
        tree.Symlink("d/e/up", "../..");

        var walked = Walked.Of(tree.Root);

        Assert.Equal(["", "d", "d/e", "d/e/f.txt", "d/e/up"], walked.Paths);
        Assert.Equal(WalkEntryKind.Symlink, walked["d/e/up"].Kind);
        Assert.False(walked.CompletedWithWarnings);
    }

    [Fact]
    public void Walk_FollowedSymlinkToAncestor_WarnsOnceAndDoesNotLoop()
    {
        using var tree = new TempTree();
        tree.WriteFile("d/e/f.txt");
        tree.Symlink("d/e/up", "../..");
        tree.Symlink("d/self", ".");

        var walked = Walked.Of(new WalkRoot(tree.Root) { FollowSymlinks = true });

        Assert.Equal(["", "d", "d/e", "d/e/f.txt", "d/e/up", "d/self"], walked.Paths);
        Assert.Equal(WalkEntryKind.Symlink, walked["d/e/up"].Kind);
        Assert.Equal("../..", walked["d/e/up"].SymlinkTarget);
        Assert.Contains("not followed", walked["d/e/up"].Note, StringComparison.Ordinal);
        Assert.Equal(["d/e/up", "d/self"], walked.Warnings.Select(w => w.RelativePath));
        Assert.All(walked.Warnings, w => Assert.Equal(WalkWarningKind.Cycle, w.Kind));
        Assert.Contains(tree.Root, walked.Warnings[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Walk_RootIsASymlink_WalksTheDirectoryItNames()
    {
        using var tree = new TempTree();
        tree.WriteFile("real/x");
        tree.Symlink("alias", "real");

        var walked = Walked.Of(tree.PathOf("alias"));

        Assert.Equal(["", "x"], walked.Paths);
        Assert.Equal(tree.PathOf("alias/x"), walked["x"].AbsolutePath);
    }

    [Fact]
    public void Walk_FollowedSymlinkToDirectory_WalkedAsDirectory()
    {
        using var tree = new TempTree();
        using var outside = new TempTree();
        outside.WriteFile("inner/x.txt", "x");
        tree.Symlink("linked", outside.PathOf("inner"));

        var walked = Walked.Of(new WalkRoot(tree.Root) { FollowSymlinks = true });

        Assert.Equal(["", "linked", "linked/x.txt"], walked.Paths);
        Assert.Equal(WalkEntryKind.Directory, walked["linked"].Kind);
        Assert.Equal(WalkEntryKind.File, walked["linked/x.txt"].Kind);
        Assert.Equal(Path.Combine(tree.Root, "linked/x.txt"), walked["linked/x.txt"].AbsolutePath);
    }

    [Fact]
    public void Walk_FollowedSymlinkToFile_RecordedWithTargetMetadata()
    {
        using var tree = new TempTree();
        tree.WriteFile("target.txt", "123456789");
        tree.Symlink("link", "target.txt");

        var link = Walked.Of(new WalkRoot(tree.Root) { FollowSymlinks = true })["link"];

        Assert.Equal(WalkEntryKind.File, link.Kind);
        Assert.Equal(9, link.Metadata.Size);
    }

    [Fact]
    public void Walk_TwoFollowedLinksToOneDirectory_WalkedOnceWithoutWarning()
    {
        // The first path to reach a directory (in walk order) walks it; later ones record a note.
        using var tree = new TempTree();
        tree.WriteFile("real/x.txt");
        tree.Symlink("link1", "real");
        tree.Symlink("link2", "real");

        var walked = Walked.Of(new WalkRoot(tree.Root) { FollowSymlinks = true });

        Assert.Equal(["", "link1", "link1/x.txt", "link2", "real"], walked.Paths);
        Assert.Equal(WalkEntryKind.Directory, walked["link1"].Kind);
        Assert.Equal((WalkEntryKind.Symlink, "real"), (walked["link2"].Kind, walked["link2"].SymlinkTarget));
        Assert.Contains("already walked", walked["link2"].Note, StringComparison.Ordinal);
        Assert.Equal(WalkEntryKind.Skipped, walked["real"].Kind);
        Assert.Contains(tree.PathOf("link1"), walked["real"].Note, StringComparison.Ordinal);
        Assert.False(walked.CompletedWithWarnings);
    }

    [Fact]
    public void Walk_FollowedLinksBetweenSiblings_Ends()
    {
        // a/to-b -> ../b and b/to-a -> ../a: each directory is reached twice, never looped.
        using var tree = new TempTree();
        tree.WriteFile("a/fa");
        tree.WriteFile("b/fb");
        tree.Symlink("a/to-b", "../b");
        tree.Symlink("b/to-a", "../a");

        var walked = Walked.Of(new WalkRoot(tree.Root) { FollowSymlinks = true });

        Assert.Equal(["", "a", "a/fa", "a/to-b", "a/to-b/fb", "a/to-b/to-a", "b"], walked.Paths);
        Assert.Equal(WalkEntryKind.Symlink, walked["a/to-b/to-a"].Kind);
        Assert.Equal(WalkEntryKind.Skipped, walked["b"].Kind);
        Assert.Equal(WalkWarningKind.Cycle, Assert.Single(walked.Warnings).Kind);
    }
}
