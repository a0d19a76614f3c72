using Urb.Agent.Restore;
using Urb.Agent.Tests.Walk;
using Urb.Agent.Walk;
using Urb.Contracts.Snapshot.V1;

namespace Urb.Agent.Tests.Restore;

public class RestoreEntryTests
{
    [Fact]
    public void Complete_EveryKindOfEntry_RestoresThemAsTheyWere()
    {
        using var target = new RestoreTarget();
        RestoreEntry[] entries =
        [
            new("", Nodes.Directory(0b111_101_000)),
            RestoreEntry.Directory("docs", 0b111_000_000),
            RestoreEntry.File("docs/a.txt", "alpha", 0b110_000_000),
            RestoreEntry.File("docs/empty", ""),
            RestoreEntry.Directory("名前 with spaces"),
            RestoreEntry.File("名前 with spaces/ü ñ.txt", "unicode"),
            RestoreEntry.Directory("empty-dir"),
            RestoreEntry.Symlink("link", "docs/a.txt"),
            RestoreEntry.Symlink("dangling", "../nowhere/at all"),
        ];

        var summary = Restores.Run(target.Path, entries);

        Assert.Equal((3, 4, 2, 0, 12L), (summary.Files, summary.Directories, summary.Symlinks, summary.HardLinks, summary.Bytes));
        Assert.Empty(summary.Warnings);
        var walked = target.Walk();
        Assert.Equal(["", "dangling", "docs", "docs/a.txt", "docs/empty", "empty-dir", "link", "名前 with spaces", "名前 with spaces/ü ñ.txt"], walked.Paths);
        Assert.Equal("alpha", target.Read("docs/a.txt"));
        Assert.Equal("", target.Read("docs/empty"));
        Assert.Equal("unicode", target.Read("名前 with spaces/ü ñ.txt"));
        Assert.Equal("docs/a.txt", walked["link"].SymlinkTarget);
        Assert.Equal("../nowhere/at all", walked["dangling"].SymlinkTarget);
        Assert.Equal(WalkEntryKind.Directory, walked["empty-dir"].Kind);
        foreach (var entry in entries)
        {
            var metadata = walked[entry.Path].Metadata;
            Assert.Equal(Nodes.Modified, metadata.ModifiedNanoseconds);
            if (entry.Node.Type != NodeType.Symlink) Assert.Equal(entry.Node.Permissions, metadata.Permissions);
        }
    }

    [Fact]
    public void BeginEntry_ReturnsWhetherContentIsExpected()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);

        Assert.False(writer.BeginEntry("", Nodes.Directory()));
        Assert.False(writer.BeginEntry("d", Nodes.Directory()));
        Assert.True(writer.BeginEntry("d/empty", Nodes.File("")));
        Assert.True(writer.BeginEntry("d/f", Nodes.File("x")));
        writer.Write("x"u8);
        Assert.False(writer.BeginEntry("d/l", Nodes.Symlink("f")));
        writer.Complete();
    }

    [Fact]
    public void Complete_MtimeBefore1970_KeepsItsNanoseconds()
    {
        using var target = new RestoreTarget();
        const long HalfASecondBefore1970 = -1_500_000_001;

        Restores.Run(target.Path, new RestoreEntry("old", Nodes.File("x", modifiedNs: HalfASecondBefore1970), "x"u8.ToArray()));

        Assert.Equal(HalfASecondBefore1970, target.Walk()["old"].Metadata.ModifiedNanoseconds);
    }

    [Fact]
    public void Complete_AsRoot_RestoresOwners()
    {
        if (!TestSyscalls.IsRoot) return;
        using var target = new RestoreTarget();
        var file = Nodes.File("x");
        (file.UserId, file.GroupId) = (1234, 5678);
        var link = Nodes.Symlink("x");
        (link.UserId, link.GroupId) = (4321, 8765);
        var directory = Nodes.Directory();
        (directory.UserId, directory.GroupId) = (1111, 2222);

        Restores.Run(target.Path, new RestoreEntry("d", directory), new RestoreEntry("d/f", file, "x"u8.ToArray()), new RestoreEntry("d/l", link));

        var walked = target.Walk();
        Assert.Equal((1111u, 2222u), (walked["d"].Metadata.UserId, walked["d"].Metadata.GroupId));
        Assert.Equal((1234u, 5678u), (walked["d/f"].Metadata.UserId, walked["d/f"].Metadata.GroupId));
        Assert.Equal((4321u, 8765u), (walked["d/l"].Metadata.UserId, walked["d/l"].Metadata.GroupId));
    }

    [Fact]
    public void BeginEntry_RootFileNode_WritesItUnderItsName()
    {
        using var target = new RestoreTarget();
        var node = Nodes.File("report");
        node.Name = "report.pdf";

        var summary = Restores.Run(target.Path, new RestoreEntry("", node, "report"u8.ToArray()));

        Assert.Equal(1, summary.Files);
        Assert.Equal("report", target.Read("report.pdf"));
        Assert.Equal(["", "report.pdf"], target.Walk().Paths);
    }

    [Fact]
    public void BeginEntry_RootSymlinkNode_CreatesItUnderItsName()
    {
        using var target = new RestoreTarget();
        var node = Nodes.Symlink("/etc");
        node.Name = "etc-link";

        Restores.Run(target.Path, new RestoreEntry("", node));

        Assert.Equal("/etc", target.Walk()["etc-link"].SymlinkTarget);
    }

    [Fact]
    public void BeginEntry_UnknownType_WarnsAndSkipsItWithItsContents()
    {
        using var target = new RestoreTarget();
        var unknown = Nodes.Directory();
        unknown.Type = (NodeType)99;

        var summary = Restores.Run(target.Path,
            new RestoreEntry("strange", unknown), RestoreEntry.File("strange/inside", "x"), RestoreEntry.File("after", "y"));

        var warning = Assert.Single(summary.Warnings);
        Assert.Equal("strange", warning.Path);
        Assert.Contains("unknown entry type", warning.Reason, StringComparison.Ordinal);
        Assert.Equal(["", "after"], target.Walk().Paths);
    }

    [Fact]
    public void BeginEntry_DirectoryThatCannotBeCreated_WarnsOnceAndSkipsWhatIsUnderIt()
    {
        using var target = new RestoreTarget();
        // Valid in a snapshot (up to 1,024 bytes), too long for Linux (NAME_MAX is 255 bytes).
        var tooLong = new string('x', 300);

        var summary = Restores.Run(target.Path,
            RestoreEntry.Directory(tooLong), RestoreEntry.Directory($"{tooLong}/sub"), RestoreEntry.File($"{tooLong}/sub/f", "x"),
            RestoreEntry.Symlink($"{tooLong}/l", "f"), RestoreEntry.File("after", "y"));

        var warning = Assert.Single(summary.Warnings);
        Assert.Equal(tooLong, warning.Path);
        Assert.Contains("nothing under it is restored", warning.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 0, 0), (summary.Files, summary.Directories, summary.Symlinks));
        Assert.Equal(["", "after"], target.Walk().Paths);
    }

    [Fact]
    public void Complete_ClosesEveryDescriptor()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, RestoreEntry.Directory("a"));
        Restores.Send(writer, RestoreEntry.Directory("a/b"));
        Assert.True(writer.BeginEntry("a/b/f", Nodes.File("x")));
        writer.Write("x"u8);
        Assert.Equal(4, OpenDescriptorsUnder(target.Path));

        writer.Complete();

        Assert.Equal(0, OpenDescriptorsUnder(target.Path));
    }

    [Fact]
    public void Dispose_WithoutComplete_ClosesEveryDescriptor()
    {
        using var target = new RestoreTarget();
        var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, RestoreEntry.Directory("a"));
        Assert.True(writer.BeginEntry("a/f", Nodes.File("x")));

        writer.Dispose();

        Assert.Equal(0, OpenDescriptorsUnder(target.Path));
        Assert.Throws<ObjectDisposedException>(() => writer.Write("x"u8));
    }

    private static int OpenDescriptorsUnder(string root) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is { } target && (target == root || target.StartsWith(root + "/", StringComparison.Ordinal)));
}
