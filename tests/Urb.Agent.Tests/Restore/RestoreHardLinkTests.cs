using Urb.Agent.Restore;

namespace Urb.Agent.Tests.Restore;

public class RestoreHardLinkTests
{
    [Fact]
    public void BeginEntry_SecondNameOfAFile_LinksItWithoutContent()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);

        Assert.True(writer.BeginEntry("a", Nodes.HardLinked("same", inode: 7)));
        writer.Write("same"u8);
        Assert.False(writer.BeginEntry("b", Nodes.Directory()));
        Assert.False(writer.BeginEntry("b/c", Nodes.HardLinked("same", inode: 7)));
        var summary = writer.Complete();

        Assert.Equal((1, 1, 4L), (summary.Files, summary.HardLinks, summary.Bytes));
        var walked = target.Walk();
        Assert.Equal(walked["a"].Metadata.Identity, walked["b/c"].Metadata.Identity);
        Assert.Equal(2u, walked["a"].Metadata.LinkCount);
        Assert.Equal("same", target.Read("b/c"));
    }

    [Fact]
    public void BeginEntry_SameInodeButOtherContent_WritesSeparateFiles()
    {
        using var target = new RestoreTarget();

        var summary = Restores.Run(target.Path,
            new RestoreEntry("a", Nodes.HardLinked("before", inode: 7), "before"u8.ToArray()),
            new RestoreEntry("b", Nodes.HardLinked("after!", inode: 7), "after!"u8.ToArray()));

        Assert.Equal((2, 0), (summary.Files, summary.HardLinks));
        Assert.Equal("before", target.Read("a"));
        Assert.Equal("after!", target.Read("b"));
        Assert.NotEqual(target.Walk()["a"].Metadata.Identity, target.Walk()["b"].Metadata.Identity);
    }

    [Fact]
    public void BeginEntry_LinkCountOne_NeverLinks()
    {
        using var target = new RestoreTarget();
        var single = Nodes.HardLinked("x", inode: 9, linkCount: 1);

        var summary = Restores.Run(target.Path, new RestoreEntry("a", single, "x"u8.ToArray()), new RestoreEntry("b", single, "x"u8.ToArray()));

        Assert.Equal((2, 0), (summary.Files, summary.HardLinks));
    }

    [Fact]
    public void BeginEntry_SourceInAReadOnlyDirectoryLeftEarlier_StillLinks()
    {
        using var target = new RestoreTarget();

        var summary = Restores.Run(target.Path,
            RestoreEntry.Directory("ro", 0b101_101_101),
            new RestoreEntry("ro/a", Nodes.HardLinked("same", inode: 7), "same"u8.ToArray()),
            RestoreEntry.Directory("other"),
            new RestoreEntry("other/b", Nodes.HardLinked("same", inode: 7)));

        Assert.Empty(summary.Warnings);
        Assert.Equal(1, summary.HardLinks);
        Assert.Equal(target.Walk()["ro/a"].Metadata.Identity, target.Walk()["other/b"].Metadata.Identity);
    }

    [Fact]
    public void BeginEntry_EarlierFileGone_WritesTheContentWithAWarning()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, new RestoreEntry("a", Nodes.HardLinked("same", inode: 7), "same"u8.ToArray()));
        Restores.Send(writer, RestoreEntry.Directory("d"));
        File.Delete(target.PathOf("a"));

        Assert.True(writer.BeginEntry("d/b", Nodes.HardLinked("same", inode: 7)));
        writer.Write("same"u8);
        var summary = writer.Complete();

        Assert.Equal((2, 0), (summary.Files, summary.HardLinks));
        var warning = Assert.Single(summary.Warnings);
        Assert.Equal("d/b", warning.Path);
        Assert.Contains("written as a file of its own", warning.Reason, StringComparison.Ordinal);
        Assert.Equal("same", target.Read("d/b"));
    }

    [Fact]
    public void BeginEntry_EarlierFileReplaced_DoesNotLinkToTheReplacement()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, new RestoreEntry("a", Nodes.HardLinked("same", inode: 7), "same"u8.ToArray()));
        File.Move(target.PathOf("a"), target.PathOf("moved"));
        File.WriteAllText(target.PathOf("a"), "impostor");

        Assert.True(writer.BeginEntry("b", Nodes.HardLinked("same", inode: 7)));
        writer.Write("same"u8);
        var summary = writer.Complete();

        Assert.Contains("no longer leads to the file", Assert.Single(summary.Warnings).Reason, StringComparison.Ordinal);
        Assert.Equal("same", target.Read("b"));
        Assert.Equal("impostor", target.Read("a"));
    }
}
