using System.Runtime.InteropServices;
using Urb.Agent.Walk.Patterns;

namespace Urb.Agent.Walk.Linux;

/// <summary>
/// The walk itself, with open directory descriptors and the *at() syscalls. Depth-first with an
/// explicit stack (no recursion, so depth costs no stack and each step is O(1) however deep).
/// A directory's entry is yielded before the directory is opened, so whatever the consumer does in
/// between (or the world does) is met as it would be in a real backup: a directory gone by then is
/// a warning, not a crash.
/// </summary>
/// <remarks>
/// Cycle detection: every directory opened is remembered by (device, inode) — those on the current
/// path and all walked before. A directory found again is not descended: on the current path it is
/// a cycle (a followed symlink to an ancestor, a bind mount of an ancestor) and is warned about
/// once, where it is met; elsewhere it is a repeat (two links to one directory, overlapping roots)
/// and is recorded with a note. Without followed links a tree can only repeat through bind mounts,
/// so the check is always on; it costs one hash lookup per directory.
/// </remarks>
internal sealed partial class LinuxTreeWalker(List<WalkWarning> warnings)
{
    private static readonly byte[] EmptyName = [0];

    private readonly DirectoryLister _lister = new();
    private readonly HashSet<FileIdentity> _onPath = [];
    private readonly Dictionary<FileIdentity, string> _walkedDirectories = [];
    private readonly Dictionary<FileIdentity, WalkEntry> _firstHardLinks = [];

    public IEnumerable<WalkEntry> Walk(IReadOnlyList<PreparedRoot> roots, CancellationToken cancellationToken)
    {
        foreach (var root in roots)
        {
            foreach (var entry in WalkRoot(root, cancellationToken)) yield return entry;
        }
    }

    private IEnumerable<WalkEntry> WalkRoot(PreparedRoot root, CancellationToken cancellationToken)
    {
        var stack = new Stack<DirectoryFrame>();
        try
        {
            var rootEntry = OpenRoot(root, stack);
            if (rootEntry is null) yield break;
            yield return rootEntry;
            var rootDevice = rootEntry.Metadata.Device;
            while (stack.TryPeek(out var frame))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!frame.TryTakeNext(out var name))
                {
                    Leave(stack.Pop());
                    continue;
                }
                var child = InspectChild(root, rootDevice, frame, name);
                if (child.Entry is null) continue;
                yield return child.Entry;
                if (child.Descend is { } filter && Enter(root, frame, name, child, filter) is { } opened) stack.Push(opened);
            }
        }
        finally
        {
            while (stack.TryPop(out var frame)) Leave(frame);
        }
    }

    /// <summary>Opens and lists the root (following links in its own path: the configured path is
    /// what the user means) and returns its entry, or null with a warning.</summary>
    private WalkEntry? OpenRoot(PreparedRoot root, Stack<DirectoryFrame> stack)
    {
        var path = NulTerminated(root.AbsolutePath);
        var descriptor = LinuxSyscalls.OpenAt(LinuxSyscalls.AtCurrentDirectory, path, DirectoryOpenFlags(follow: true), 0);
        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Warn(root, "", WalkWarningKind.RootUnavailable, $"cannot open the root directory: {Errno.Describe(errno)}");
            return null;
        }
        if (!TryStat(descriptor, EmptyName, LinuxSyscalls.AtEmptyPath, out var metadata, out var error))
        {
            LinuxSyscalls.Close(descriptor);
            Warn(root, "", WalkWarningKind.RootUnavailable, $"cannot stat the root directory: {Errno.Describe(error)}");
            return null;
        }
        var entry = new WalkEntry(root.Index, "", root.AbsolutePath, WalkEntryKind.Directory, metadata);
        if (_walkedDirectories.TryGetValue(metadata.Identity, out var earlier))
        {
            LinuxSyscalls.Close(descriptor);
            return entry with { Kind = WalkEntryKind.Skipped, Note = $"the same directory as {earlier}, already walked" };
        }
        stack.Push(Descend(root, descriptor, "", metadata.Identity, root.Filter.StateAtRoot(root.AbsolutePath)));
        return entry;
    }

    /// <summary>Opens a child directory just yielded, checking that it is still the directory that
    /// was stat'ed (so cycle detection always sees what is really descended into).</summary>
    private DirectoryFrame? Enter(PreparedRoot root, DirectoryFrame parent, byte[] name, ChildOutcome child, FilterState filter)
    {
        var entry = child.Entry!;
        var descriptor = LinuxSyscalls.OpenAt(parent.Descriptor, name, DirectoryOpenFlags(child.ViaSymlink), 0);
        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.NoEntry or Errno.NotDirectory or Errno.TooManyLinks)
            {
                Warn(root, entry.RelativePath, WalkWarningKind.Vanished, $"the directory was removed or replaced before it could be opened: {Errno.Describe(errno)}");
            }
            else
            {
                Warn(root, entry.RelativePath, WalkWarningKind.Unreadable, $"cannot open the directory: {Errno.Describe(errno)}");
            }
            return null;
        }
        if (!TryStat(descriptor, EmptyName, LinuxSyscalls.AtEmptyPath, out var opened, out var error) || opened.Identity != entry.Metadata.Identity)
        {
            LinuxSyscalls.Close(descriptor);
            Warn(root, entry.RelativePath, WalkWarningKind.Vanished,
                error != 0 ? $"cannot stat the opened directory: {Errno.Describe(error)}" : "the directory was replaced by another one while walking");
            return null;
        }
        return Descend(root, descriptor, entry.RelativePath, opened.Identity, filter);
    }

    /// <summary>Lists an opened directory and makes it the current one. A listing cut short by an
    /// error keeps the names read so far and warns.</summary>
    private DirectoryFrame Descend(PreparedRoot root, int descriptor, string relativePath, FileIdentity identity, FilterState filter)
    {
        var names = new List<byte[]>();
        var errno = _lister.List(descriptor, names);
        if (errno != 0)
        {
            Warn(root, relativePath, WalkWarningKind.Unreadable, $"cannot list the directory after {names.Count} entries: {Errno.Describe(errno)}");
        }
        _onPath.Add(identity);
        _walkedDirectories[identity] = root.Absolute(relativePath);
        return new DirectoryFrame(descriptor, relativePath, identity, filter, names);
    }

    private void Leave(DirectoryFrame frame)
    {
        _onPath.Remove(frame.Identity);
        frame.Dispose();
    }

    private static int DirectoryOpenFlags(bool follow) =>
        LinuxSyscalls.OpenDirectory | LinuxSyscalls.OpenCloseOnExec | (follow ? 0 : LinuxSyscalls.OpenNoFollow);

    private static bool TryStat(int directory, byte[] name, int flags, out FileMetadata metadata, out int errno)
    {
        if (LinuxSyscalls.Statx(directory, name, flags | LinuxSyscalls.AtNoAutomount, LinuxSyscalls.StatxBasicStats, out var buffer) == 0)
        {
            metadata = buffer.ToMetadata();
            errno = 0;
            return true;
        }
        errno = Marshal.GetLastPInvokeError();
        metadata = default;
        return false;
    }

    private void Warn(PreparedRoot root, string relativePath, WalkWarningKind kind, string reason) =>
        warnings.Add(new WalkWarning(root.Index, relativePath, root.Absolute(relativePath), kind, reason));

    private static byte[] NulTerminated(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
