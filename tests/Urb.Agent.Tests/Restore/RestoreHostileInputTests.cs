using Urb.Agent.Restore;
using Urb.Domain.Errors;

namespace Urb.Agent.Tests.Restore;

public class RestoreHostileInputTests
{
    [Theory]
    [InlineData("../outside/passwd")]
    [InlineData("a/../../outside/passwd")]
    [InlineData("..")]
    [InlineData("./a")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\..\\..\\outside")]
    [InlineData("a\0b")]
    public void BeginEntry_UnsafePath_ThrowsAndWritesNothingOutside(string path)
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, RestoreEntry.Directory("a"));

        var error = Assert.Throws<InvalidInputException>(() => writer.BeginEntry(path, Nodes.File("evil")));

        Assert.Equal("path", error.Field);
        target.AssertOutsideUntouched();
    }

    [Fact]
    public void BeginEntry_UnderARestoredSymlink_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, RestoreEntry.Symlink("a", target.Outside));

        var error = Assert.Throws<InvalidInputException>(() => writer.BeginEntry("a/passwd", Nodes.File("evil")));

        Assert.Contains("not a directory restored before it", error.Message, StringComparison.Ordinal);
        target.AssertOutsideUntouched();
    }

    [Fact]
    public void BeginEntry_UnderARestoredSymlinkToAnAncestor_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, RestoreEntry.Symlink("up", ".."));

        Assert.Throws<InvalidInputException>(() => writer.BeginEntry("up/outside/passwd", Nodes.File("evil")));
        target.AssertOutsideUntouched();
    }

    [Fact]
    public void BeginEntry_ParentNeverRestored_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        // Present on disk, but not restored by this restore: it could be anything (a symlink planted there).
        Directory.CreateSymbolicLink(target.PathOf("planted"), target.Outside);

        Assert.Throws<InvalidInputException>(() => writer.BeginEntry("planted/passwd", Nodes.File("evil")));
        Assert.Throws<InvalidOperationException>(() => writer.BeginEntry("fine", Nodes.File("")));
        target.AssertOutsideUntouched();
    }

    [Fact]
    public void BeginEntry_ParentIsARestoredFile_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, RestoreEntry.File("f", "x"));

        Assert.Throws<InvalidInputException>(() => writer.BeginEntry("f/g", Nodes.File("y")));
    }

    [Fact]
    public void BeginEntry_DirectoryLeftEarlier_ThrowsForLaterChildren()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, RestoreEntry.Directory("a"));
        Restores.Send(writer, RestoreEntry.Directory("b"));

        var error = Assert.Throws<InvalidInputException>(() => writer.BeginEntry("a/late", Nodes.File("")));

        Assert.Contains("depth-first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BeginEntry_RootAfterOtherEntries_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        Restores.Send(writer, RestoreEntry.Directory("a"));

        Assert.Throws<InvalidInputException>(() => writer.BeginEntry("", Nodes.Directory()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../passwd")]
    [InlineData("a/b")]
    public void BeginEntry_RootFileWithUnsafeName_Throws(string name)
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);
        var node = Nodes.File("evil");
        node.Name = name;

        var error = Assert.Throws<InvalidInputException>(() => writer.BeginEntry("", node));

        Assert.Equal("node.name", error.Field);
        target.AssertOutsideUntouched();
    }

    [Fact]
    public void BeginEntry_ExistingSymlinkWhereAFileGoes_ReplacesTheLinkNotItsTarget()
    {
        using var target = new RestoreTarget();
        Directory.CreateDirectory(target.Path);
        File.CreateSymbolicLink(target.PathOf("passwd"), Path.Combine(target.Outside, "passwd"));

        var summary = Restores.Run(target.Path, RestoreEntry.File("passwd", "restored"));

        Assert.Empty(summary.Warnings);
        Assert.Equal("restored", target.Read("passwd"));
        Assert.Null(new FileInfo(target.PathOf("passwd")).LinkTarget);
        target.AssertOutsideUntouched();
    }

    [Fact]
    public void BeginEntry_ExistingSymlinkWhereADirectoryGoes_ReplacesTheLink()
    {
        using var target = new RestoreTarget();
        Directory.CreateDirectory(target.Path);
        Directory.CreateSymbolicLink(target.PathOf("d"), target.Outside);

        var summary = Restores.Run(target.Path, RestoreEntry.Directory("d"), RestoreEntry.File("d/passwd", "restored"));

        Assert.Empty(summary.Warnings);
        Assert.Equal("restored", target.Read("d/passwd"));
        Assert.Null(new DirectoryInfo(target.PathOf("d")).LinkTarget);
        target.AssertOutsideUntouched();
    }

    [Fact]
    public void BeginEntry_ExistingEntriesWhereSymlinksGo_AreReplaced_TheirTargetsUntouched()
    {
        using var target = new RestoreTarget();
        Directory.CreateDirectory(target.Path);
        File.WriteAllText(target.PathOf("was-a-file"), "old");
        File.CreateSymbolicLink(target.PathOf("was-a-link"), Path.Combine(target.Outside, "passwd"));

        var summary = Restores.Run(target.Path, RestoreEntry.Symlink("was-a-file", "new-target"), RestoreEntry.Symlink("was-a-link", "other-target"));

        Assert.Empty(summary.Warnings);
        Assert.Equal("new-target", new FileInfo(target.PathOf("was-a-file")).LinkTarget);
        Assert.Equal("other-target", new FileInfo(target.PathOf("was-a-link")).LinkTarget);
        target.AssertOutsideUntouched();
    }

    [Fact]
    public void BeginEntry_SymlinkTargetWithNul_Throws()
    {
        using var target = new RestoreTarget();
        using var writer = new RestoreWriter(target.Path);

        var error = Assert.Throws<InvalidInputException>(() => writer.BeginEntry("l", Nodes.Symlink("a\0b")));

        Assert.Equal("node.link_target", error.Field);
    }
}
