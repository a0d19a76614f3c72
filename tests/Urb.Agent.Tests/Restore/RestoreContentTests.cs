using Urb.Agent.Restore;
using Urb.Domain.Errors;

namespace Urb.Agent.Tests.Restore;

public class RestoreContentTests
{
    [Fact]
    public void BeginEntry_PreviousFileShortOfItsSize_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        writer.BeginEntry("f", Nodes.File("twelve bytes"));
        writer.Write("twelve"u8);

        var error = Assert.Throws<InvalidInputException>(() => writer.BeginEntry("g", Nodes.File("")));

        Assert.Equal("content", error.Field);
        Assert.Contains("'f': 6 bytes of content were written, but its size is 12 bytes", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => writer.Complete());
    }

    [Fact]
    public void Complete_LastFileShortOfItsSize_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        writer.BeginEntry("f", Nodes.File("abc"));

        var error = Assert.Throws<InvalidInputException>(() => writer.Complete());

        Assert.Contains("0 bytes of content were written, but its size is 3 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PastTheFileSize_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        writer.BeginEntry("f", Nodes.File("abc"));
        writer.Write("ab"u8);

        var error = Assert.Throws<InvalidInputException>(() => writer.Write("cd"u8));

        Assert.Contains("more content than its size of 3 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AfterAnEntryThatTakesNoContent_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Assert.True(writer.BeginEntry("a", Nodes.HardLinked("x", inode: 3)));
        writer.Write("x"u8);
        Assert.False(writer.BeginEntry("b", Nodes.HardLinked("x", inode: 3)));

        Assert.Throws<InvalidOperationException>(() => writer.Write("x"u8));
    }

    [Fact]
    public void Complete_Twice_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        writer.Complete();

        Assert.Throws<InvalidOperationException>(() => writer.Complete());
    }

    [Fact]
    public void BeginEntry_ExistingNonEmptyDirectoryWhereAFileGoes_WarnsAndTakesNoContent()
    {
        using var target = new RestoreTarget();
        Directory.CreateDirectory(target.PathOf("busy"));
        File.WriteAllText(target.PathOf("busy/keep"), "kept");
        using var writer = new RestoreWriter(target.Path);

        Assert.False(writer.BeginEntry("busy", Nodes.File("x")));
        var summary = writer.Complete();

        var warning = Assert.Single(summary.Warnings);
        Assert.Equal("busy", warning.Path);
        Assert.Contains("cannot create the file", warning.Reason, StringComparison.Ordinal);
        Assert.Equal("kept", target.Read("busy/keep"));
    }

    [Fact]
    public void BeginEntry_ExistingFile_IsReplacedNotWrittenInto()
    {
        using var target = new RestoreTarget();
        Directory.CreateDirectory(target.Path);
        File.WriteAllText(target.PathOf("f"), "a much longer old content");
        // A second name keeps the old file alive, so it shows whether the restore wrote into it.
        Assert.Equal(0, Walk.TestSyscalls.Link(target.PathOf("f"), target.Tree.PathOf("old-name")));

        Restores.Run(target.Path, RestoreEntry.File("f", "new"));

        Assert.Equal("new", target.Read("f"));
        Assert.Equal("a much longer old content", File.ReadAllText(target.Tree.PathOf("old-name")));
    }
}
