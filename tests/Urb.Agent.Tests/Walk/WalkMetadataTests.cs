using System.Globalization;
using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

public class WalkMetadataTests
{
    [Fact]
    public void Walk_File_MetadataAgreesWithStat()
    {
        using var tree = new TempTree();
        tree.WriteFile("f", "hello");
        tree.HardLink("g", "f");
        // GNU stat: size, mtime and ctime in ns, raw mode in hex, uid, gid, device, inode, links.
        var fields = Stat(tree, "f", "%s %.9Y %.9Z %f %u %g %d %i %h");

        var metadata = Walked.Of(tree.Root)["f"].Metadata;

        Assert.Equal(fields[0], metadata.Size.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(fields[1].Replace(".", "", StringComparison.Ordinal), metadata.ModifiedNanoseconds.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(fields[2].Replace(".", "", StringComparison.Ordinal), metadata.ChangedNanoseconds.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Convert.ToUInt32(fields[3], 16), metadata.Mode);
        Assert.Equal<string[]>(fields[4..], [metadata.UserId.ToString(CultureInfo.InvariantCulture), metadata.GroupId.ToString(CultureInfo.InvariantCulture),
            metadata.Device.ToString(CultureInfo.InvariantCulture), metadata.Inode.ToString(CultureInfo.InvariantCulture), "2"]);
    }

    [Fact]
    public void Walk_Chmod_ChangesCtimeButNotMtimeOrInode()
    {
        using var tree = new TempTree();
        var path = tree.WriteFile("f");
        var before = Walked.Of(tree.Root)["f"].Metadata;
        Assert.NotEqual(0UL, before.Inode);
        Assert.True(before.ChangedNanoseconds > 0);

        // Inode times come from a coarse clock (a jiffy, up to 10 ms); wait past it.
        Thread.Sleep(30);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        var after = Walked.Of(tree.Root)["f"].Metadata;

        Assert.True(after.ChangedNanoseconds > before.ChangedNanoseconds, $"ctime {before.ChangedNanoseconds} -> {after.ChangedNanoseconds}");
        Assert.Equal(before.ModifiedNanoseconds, after.ModifiedNanoseconds);
        Assert.Equal(before.Identity, after.Identity);
        Assert.Equal(0b100_000_000u, after.Permissions);
    }

    [Fact]
    public void Walk_FileReplacedByRename_InodeChanges()
    {
        using var tree = new TempTree();
        tree.WriteFile("f", "one");
        var before = Walked.Of(tree.Root)["f"].Metadata;

        tree.WriteFile("f.new", "two");
        File.Move(tree.PathOf("f.new"), tree.PathOf("f"), overwrite: true);
        var after = Walked.Of(tree.Root)["f"].Metadata;

        Assert.NotEqual(before.Inode, after.Inode);
        Assert.Equal(before.Device, after.Device);
    }

    [Fact]
    public void Walk_Write_ChangesMtimeAndSize()
    {
        using var tree = new TempTree();
        var path = tree.WriteFile("f", "one");
        var before = Walked.Of(tree.Root)["f"].Metadata;

        Thread.Sleep(30);
        File.AppendAllText(path, " more");
        var after = Walked.Of(tree.Root)["f"].Metadata;

        Assert.True(after.ModifiedNanoseconds > before.ModifiedNanoseconds);
        Assert.Equal(8, after.Size);
    }

    private static string[] Stat(TempTree tree, string relative, string format)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat", ["-c", format, tree.PathOf(relative)]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output.Split(' ');
    }
}
