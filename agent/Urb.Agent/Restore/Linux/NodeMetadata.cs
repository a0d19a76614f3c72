using System.Runtime.InteropServices;
using Urb.Agent.Walk.Linux;
using Urb.Contracts.Snapshot.V1;
using static Urb.Agent.Restore.Linux.RestoreSyscalls;

namespace Urb.Agent.Restore.Linux;

/// <summary>
/// Gives a restored entry its owner, permissions and mtime. The order matters: chown clears the
/// setuid and setgid bits, so the mode is set after it, and neither touches the mtime, which is set
/// last. Each returns null, or what could not be set (the restore warns and goes on).
/// </summary>
internal static class NodeMetadata
{
    private const uint PermissionBits = 0xfff;
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>For a file or directory, through its open descriptor.</summary>
    public static string? Apply(int descriptor, Node node, bool restoreOwner)
    {
        var problems = new List<string>();
        if (restoreOwner && ChangeOwner(descriptor, node.UserId, node.GroupId) != 0) problems.Add(Failed("owner"));
        if (ChangeMode(descriptor, node.Permissions & PermissionBits) != 0) problems.Add(Failed("permissions"));
        if (SetTimes(descriptor, Times(node.ModifiedNs)) != 0) problems.Add(Failed("modification time"));
        return Describe(problems);
    }

    /// <summary>For a symlink, by its name in its directory, never following it. A symlink has no
    /// permissions of its own on Linux.</summary>
    public static string? ApplyToSymlink(int parent, byte[] name, Node node, bool restoreOwner)
    {
        var problems = new List<string>();
        if (restoreOwner && ChangeOwnerAt(parent, name, node.UserId, node.GroupId, LinuxSyscalls.AtSymlinkNoFollow) != 0) problems.Add(Failed("owner"));
        if (SetTimesAt(parent, name, Times(node.ModifiedNs), LinuxSyscalls.AtSymlinkNoFollow) != 0) problems.Add(Failed("modification time"));
        return Describe(problems);
    }

    /// <summary>struct timespec[2]: the access time left as it is, the mtime from the node (floored, so times before 1970 keep a nanosecond part in 0..999,999,999).</summary>
    private static long[] Times(long modifiedNs)
    {
        var seconds = Math.DivRem(modifiedNs, NanosecondsPerSecond, out var nanoseconds);
        if (nanoseconds < 0)
        {
            seconds--;
            nanoseconds += NanosecondsPerSecond;
        }
        return [0, TimeOmit, seconds, nanoseconds];
    }

    private static string Failed(string what) => $"cannot set the {what}: {Errno.Describe(Marshal.GetLastPInvokeError())}";

    private static string? Describe(List<string> problems) => problems.Count == 0 ? null : string.Join("; ", problems);
}
