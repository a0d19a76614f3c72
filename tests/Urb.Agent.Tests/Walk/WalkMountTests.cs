using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

/// <summary>
/// Other filesystems inside a tree. Mounting needs root, as CI runs; run as another user these
/// tests have nothing to mount and return early (the rest of the suite still covers the walk).
/// </summary>
public class WalkMountTests
{
    [Fact]
    public void Walk_TmpfsInsideTree_SkippedAsMountPoint()
    {
        if (!TestSyscalls.IsRoot) return; // mount(8) needs root.
        using var tree = new TempTree();
        tree.WriteFile("before");
        tree.WriteFile("zafter");
        using var mount = Mount(tree, "mnt", "-t", "tmpfs", "-o", "size=1m", "tmpfs");
        tree.WriteFile("mnt/inside");

        var walked = Walked.Of(tree.Root);

        Assert.Equal(["", "before", "mnt", "zafter"], walked.Paths);
        Assert.Equal(WalkEntryKind.Skipped, walked["mnt"].Kind);
        Assert.Contains("mount point", walked["mnt"].Note, StringComparison.Ordinal);
        Assert.False(walked.CompletedWithWarnings);
    }

    [Fact]
    public void Walk_TmpfsInsideTreeWithCrossFilesystems_Descended()
    {
        if (!TestSyscalls.IsRoot) return; // mount(8) needs root.
        using var tree = new TempTree();
        using var mount = Mount(tree, "mnt", "-t", "tmpfs", "-o", "size=1m", "tmpfs");
        tree.WriteFile("mnt/inside");

        var walked = Walked.Of(new WalkRoot(tree.Root) { CrossFilesystems = true });

        Assert.Equal(["", "mnt", "mnt/inside"], walked.Paths);
        Assert.NotEqual(walked[""].Metadata.Device, walked["mnt/inside"].Metadata.Device);
    }

    [Fact]
    public void Walk_BindMountOfAncestor_CycleWarnedOnce()
    {
        if (!TestSyscalls.IsRoot) return; // mount(8) needs root.
        using var tree = new TempTree();
        tree.WriteFile("a/file");
        using var mount = Mount(tree, "a/loop", "--bind", tree.Root);

        foreach (var crossFilesystems in new[] { false, true })
        {
            var walked = Walked.Of(new WalkRoot(tree.Root) { CrossFilesystems = crossFilesystems });

            Assert.Equal(["", "a", "a/file", "a/loop"], walked.Paths);
            Assert.Equal(WalkEntryKind.Skipped, walked["a/loop"].Kind);
            var warning = Assert.Single(walked.Warnings);
            Assert.Equal((WalkWarningKind.Cycle, "a/loop"), (warning.Kind, warning.RelativePath));
        }
    }

    [Fact]
    public void Walk_FollowedSymlinkToAnotherFilesystem_KeptAsLink()
    {
        if (!TestSyscalls.IsRoot) return; // mount(8) needs root.
        using var tree = new TempTree();
        using var outside = new TempTree();
        using var mount = Mount(outside, "mnt", "-t", "tmpfs", "-o", "size=1m", "tmpfs");
        outside.WriteFile("mnt/inside");
        tree.Symlink("link", outside.PathOf("mnt"));

        var walked = Walked.Of(new WalkRoot(tree.Root) { FollowSymlinks = true });

        Assert.Equal(["", "link"], walked.Paths);
        Assert.Equal(WalkEntryKind.Symlink, walked["link"].Kind);
        Assert.Contains("another filesystem", walked["link"].Note, StringComparison.Ordinal);
    }

    /// <summary>Mounts on a new directory of the tree; unmounted when disposed.</summary>
    private static Unmount Mount(TempTree tree, string relative, params string[] arguments)
    {
        var target = tree.MakeDirectory(relative);
        var (exitCode, error) = tree.Run("mount", [.. arguments, target]);
        Assert.True(exitCode == 0, $"Running as root, yet mount {string.Join(' ', arguments)} {target} failed ({exitCode}): {error}");
        return new Unmount(tree, target);
    }

    private sealed class Unmount(TempTree tree, string target) : IDisposable
    {
        public void Dispose() => tree.Run("umount", target);
    }
}
