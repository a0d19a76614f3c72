using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

public class WalkEntryKindTests
{
    [Fact]
    public void Walk_RegularFile_RecordedWithSizeAndMode()
    {
        using var tree = new TempTree();
        File.SetUnixFileMode(tree.WriteFile("a.txt", "12345"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var walked = Walked.Of(tree.Root);

        var file = walked["a.txt"];
        Assert.Equal(WalkEntryKind.File, file.Kind);
        Assert.Equal(5, file.Metadata.Size);
        Assert.Equal(0b110_100_000u, file.Metadata.Permissions);
        Assert.Equal(1u, file.Metadata.LinkCount);
        Assert.Equal(Path.Combine(tree.Root, "a.txt"), file.AbsolutePath);
        Assert.False(walked.CompletedWithWarnings);
    }

    [Fact]
    public void Walk_Root_IsTheFirstEntryWithAnEmptyRelativePath()
    {
        using var tree = new TempTree();

        var walked = Walked.Of(tree.Root + "/");

        var root = Assert.Single(walked.Entries);
        Assert.Equal(WalkEntryKind.Directory, root.Kind);
        Assert.Equal("", root.RelativePath);
        Assert.Equal(tree.Root, root.AbsolutePath);
    }

    [Fact]
    public void Walk_EmptyDirectory_Recorded()
    {
        using var tree = new TempTree();
        tree.MakeDirectory("empty");

        var walked = Walked.Of(tree.Root);

        Assert.Equal(WalkEntryKind.Directory, walked["empty"].Kind);
        Assert.Equal(["", "empty"], walked.Paths);
    }

    [Fact]
    public void Walk_SymlinkToFile_RecordedAsLinkWithItsOwnMetadata()
    {
        using var tree = new TempTree();
        tree.WriteFile("target.txt", "a longer content");
        tree.Symlink("link", "target.txt");

        var link = Walked.Of(tree.Root)["link"];

        Assert.Equal(WalkEntryKind.Symlink, link.Kind);
        Assert.Equal("target.txt", link.SymlinkTarget);
        Assert.Equal("target.txt".Length, link.Metadata.Size);
        Assert.Null(link.Note);
    }

    [Fact]
    public void Walk_DanglingSymlink_RecordedWithoutWarning()
    {
        using var tree = new TempTree();
        tree.Symlink("dangling", "/nonexistent/urb/target");

        var walked = Walked.Of(tree.Root);

        Assert.Equal(WalkEntryKind.Symlink, walked["dangling"].Kind);
        Assert.Equal("/nonexistent/urb/target", walked["dangling"].SymlinkTarget);
        Assert.False(walked.CompletedWithWarnings);
    }

    [Fact]
    public void Walk_HardLinks_LaterPathsPointToTheFirst()
    {
        using var tree = new TempTree();
        tree.WriteFile("b-first", "shared");
        tree.HardLink("c-second", "b-first");
        tree.HardLink("d/third", "b-first");

        var walked = Walked.Of(tree.Root);

        var first = walked["b-first"];
        Assert.Equal(WalkEntryKind.File, first.Kind);
        Assert.Equal(3u, first.Metadata.LinkCount);
        foreach (var later in new[] { walked["c-second"], walked["d/third"] })
        {
            Assert.Equal(WalkEntryKind.HardLink, later.Kind);
            Assert.Same(first, later.HardLinkOf);
            Assert.Equal(first.Metadata.Identity, later.Metadata.Identity);
        }
    }

    [Fact]
    public void Walk_HardLinkWhoseFirstPathIsExcluded_LaterPathBecomesTheFile()
    {
        using var tree = new TempTree();
        tree.WriteFile("a", "shared");
        tree.HardLink("b", "a");

        var walked = Walked.Of(new WalkRoot(tree.Root) { Excludes = ["a"] });

        Assert.Equal(WalkEntryKind.File, walked["b"].Kind);
        Assert.Null(walked["b"].HardLinkOf);
    }

    [Fact]
    public void Walk_Fifo_SkippedWithNote()
    {
        using var tree = new TempTree();
        tree.Fifo("pipe");

        var walked = Walked.Of(tree.Root);

        Assert.Equal(WalkEntryKind.Skipped, walked["pipe"].Kind);
        Assert.Contains("FIFO", walked["pipe"].Note, StringComparison.Ordinal);
        Assert.False(walked.CompletedWithWarnings);
    }

    [Fact]
    public void Walk_UnixSocket_SkippedWithNote()
    {
        using var tree = new TempTree();
        tree.UnixSocket("socket");

        var entry = Walked.Of(tree.Root)["socket"];

        Assert.Equal(WalkEntryKind.Skipped, entry.Kind);
        Assert.Contains("socket", entry.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Walk_CharacterDevice_SkippedWithNote()
    {
        // /dev/null is a character device on every Linux; no root needed to make one.
        var walked = Walked.Of(new WalkRoot("/dev") { Includes = ["null"] });

        Assert.Equal(["", "null"], walked.Paths);
        Assert.Equal(WalkEntryKind.Skipped, walked["null"].Kind);
        Assert.Contains("character device", walked["null"].Note, StringComparison.Ordinal);
    }
}
