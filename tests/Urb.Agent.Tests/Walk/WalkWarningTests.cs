using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

public class WalkWarningTests
{
    [Fact]
    public void Walk_UnreadableDirectory_WarnsAndGoesOn()
    {
        using var tree = new TempTree();
        tree.WriteFile("locked/secret");
        tree.WriteFile("open/visible");
        File.SetUnixFileMode(tree.PathOf("locked"), UnixFileMode.None);
        try
        {
            var walked = Unprivileged.Run(() => Walked.Of(tree.Root));

            Assert.Equal(["", "locked", "open", "open/visible"], walked.Paths);
            var warning = Assert.Single(walked.Warnings);
            Assert.Equal((WalkWarningKind.Unreadable, "locked"), (warning.Kind, warning.RelativePath));
            Assert.Contains("Permission denied", warning.Reason, StringComparison.Ordinal);
            Assert.True(walked.CompletedWithWarnings);
        }
        finally
        {
            File.SetUnixFileMode(tree.PathOf("locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Walk_UnsearchableDirectory_WarnsPerEntry()
    {
        // Readable but not searchable (r--): the names can be listed, but not one can be stat'ed.
        using var tree = new TempTree();
        tree.WriteFile("listed/one");
        tree.WriteFile("listed/two");
        File.SetUnixFileMode(tree.PathOf("listed"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            var walked = Unprivileged.Run(() => Walked.Of(tree.Root));

            Assert.Equal(["", "listed"], walked.Paths);
            Assert.Equal(["listed/one", "listed/two"], walked.Warnings.Select(w => w.RelativePath));
            Assert.All(walked.Warnings, w => Assert.Equal(WalkWarningKind.Unreadable, w.Kind));
        }
        finally
        {
            File.SetUnixFileMode(tree.PathOf("listed"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Walk_FileDeletedAfterListing_WarnsVanishedAndGoesOn()
    {
        using var tree = new TempTree();
        tree.WriteFile("d/a");
        tree.WriteFile("d/b");
        tree.WriteFile("d/c");
        var walk = FileSystemWalker.Walk(new WalkOptions([new WalkRoot(tree.Root)]));

        var paths = new List<string>();
        foreach (var entry in walk.Entries)
        {
            paths.Add(entry.RelativePath);
            // By the time "d/a" is seen, d has been listed: b is now deleted under the walk.
            if (entry.RelativePath == "d/a") File.Delete(tree.PathOf("d/b"));
        }

        Assert.Equal(["", "d", "d/a", "d/c"], paths);
        var warning = Assert.Single(walk.Warnings);
        Assert.Equal((WalkWarningKind.Vanished, "d/b", tree.PathOf("d/b")), (warning.Kind, warning.RelativePath, warning.AbsolutePath));
        Assert.True(walk.CompletedWithWarnings);
    }

    [Fact]
    public void Walk_DirectoryDeletedBeforeDescent_WarnsVanishedAndGoesOn()
    {
        using var tree = new TempTree();
        tree.WriteFile("gone/inner");
        tree.WriteFile("stays/inner");
        var walk = FileSystemWalker.Walk(new WalkOptions([new WalkRoot(tree.Root)]));

        var paths = new List<string>();
        foreach (var entry in walk.Entries)
        {
            paths.Add(entry.RelativePath);
            if (entry.RelativePath == "gone") Directory.Delete(entry.AbsolutePath, recursive: true);
        }

        Assert.Equal(["", "gone", "stays", "stays/inner"], paths);
        Assert.Equal((WalkWarningKind.Vanished, "gone"), (walk.Warnings.Single().Kind, walk.Warnings.Single().RelativePath));
    }

    [Fact]
    public void Walk_DirectoryReplacedBeforeDescent_WarnsInsteadOfWalkingTheNewOne()
    {
        using var tree = new TempTree();
        tree.WriteFile("swapped/old");
        tree.WriteFile("z-other/new");
        var walk = FileSystemWalker.Walk(new WalkOptions([new WalkRoot(tree.Root)]));

        var paths = new List<string>();
        foreach (var entry in walk.Entries)
        {
            paths.Add(entry.RelativePath);
            if (entry.RelativePath == "swapped")
            {
                // Stat'ed as one directory, about to be opened as another.
                Directory.Delete(tree.PathOf("swapped"), recursive: true);
                Directory.Move(tree.PathOf("z-other"), tree.PathOf("swapped"));
            }
        }

        Assert.Equal(["", "swapped"], paths);
        Assert.Equal([("swapped", WalkWarningKind.Vanished), ("z-other", WalkWarningKind.Vanished)], walk.Warnings.Select(w => (w.RelativePath, w.Kind)));
        Assert.Contains("replaced", walk.Warnings[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Walk_MissingRoot_WarnsAndWalksTheOtherRoots()
    {
        using var tree = new TempTree();
        tree.WriteFile("x");
        var missing = tree.PathOf("missing");

        var walked = Walked.Of(new WalkRoot(missing), new WalkRoot(tree.PathOf("x")), new WalkRoot(tree.Root));

        Assert.Equal([(2, ""), (2, "x")], walked.Entries.Select(e => (e.RootIndex, e.RelativePath)));
        Assert.Equal([(0, missing), (1, tree.PathOf("x"))], walked.Warnings.Select(w => (w.RootIndex, w.AbsolutePath)));
        Assert.All(walked.Warnings, w => Assert.Equal(WalkWarningKind.RootUnavailable, w.Kind));
        Assert.Contains("Not a directory", walked.Warnings[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Walk_NameNotValidUtf8_WarnsAndGoesOn()
    {
        using var tree = new TempTree();
        tree.Shell("touch $'bad\\xff-name' good");

        var walked = Walked.Of(tree.Root);

        Assert.Equal(["", "good"], walked.Paths);
        var warning = Assert.Single(walked.Warnings);
        Assert.Equal((WalkWarningKind.UnsupportedName, "bad\uFFFD-name"), (warning.Kind, warning.RelativePath));
    }
}
