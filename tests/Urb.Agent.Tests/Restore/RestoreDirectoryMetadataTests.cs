using Urb.Agent.Tests.Walk;

namespace Urb.Agent.Tests.Restore;

public class RestoreDirectoryMetadataTests
{
    private const uint Nobody = 65534;

    [Fact]
    public void Complete_ReadOnlyDirectoriesWithChildren_WritesChildrenThenApplies()
    {
        // Run where permissions bite (as root, the thread's filesystem uid is 'nobody'): a read-only
        // directory applied before its children would stop them being written.
        using var target = new RestoreTarget();
        Directory.CreateDirectory(target.Path);
        File.SetUnixFileMode(target.Path, (UnixFileMode)0b111_111_111);
        RestoreEntry[] entries =
        [
            RestoreEntry.Directory("ro", 0b101_101_101),
            RestoreEntry.Directory("ro/sub", 0b101_000_000),
            RestoreEntry.File("ro/sub/f", "inner", 0b100_000_000),
            RestoreEntry.File("ro/g", "outer"),
        ];
        // Root restores owners; as 'nobody' it may only keep its own (the group of new files is root's).
        if (TestSyscalls.IsRoot) foreach (var entry in entries) (entry.Node.UserId, entry.Node.GroupId) = (Nobody, 0);

        var summary = Unprivileged.Run(() => Restores.Run(target.Path, entries));

        Assert.Empty(summary.Warnings);
        var walked = target.Walk();
        Assert.Equal(0b101_101_101u, walked["ro"].Metadata.Permissions);
        Assert.Equal(0b101_000_000u, walked["ro/sub"].Metadata.Permissions);
        Assert.Equal(0b100_000_000u, walked["ro/sub/f"].Metadata.Permissions);
        Assert.Equal("inner", target.Read("ro/sub/f"));
        Assert.Equal("outer", target.Read("ro/g"));
    }

    [Fact]
    public void Complete_DirectoriesGivenChildrenAfterwards_KeepTheirMtime()
    {
        using var target = new RestoreTarget();

        Restores.Run(target.Path,
            new RestoreEntry("", Nodes.Directory(0b111_101_000)),
            RestoreEntry.Directory("a"),
            RestoreEntry.Directory("a/b"),
            RestoreEntry.File("a/b/f", "x"),
            RestoreEntry.Symlink("a/l", "b/f"),
            RestoreEntry.File("a/g", "y"),
            RestoreEntry.File("h", "z"));

        var walked = target.Walk();
        Assert.All(walked.Entries, entry => Assert.Equal(Nodes.Modified, entry.Metadata.ModifiedNanoseconds));
        Assert.Equal(0b111_101_000u, walked[""].Metadata.Permissions);
    }

    [Fact]
    public void Complete_SpecialPermissionBits_AreRestored()
    {
        using var target = new RestoreTarget();

        Restores.Run(target.Path,
            RestoreEntry.Directory("shared", 0b011_111_111_101),
            RestoreEntry.File("shared/tool", "#!/bin/sh", 0b100_111_101_101));

        var walked = target.Walk();
        Assert.Equal(0b011_111_111_101u, walked["shared"].Metadata.Permissions);
        Assert.Equal(0b100_111_101_101u, walked["shared/tool"].Metadata.Permissions);
    }
}
