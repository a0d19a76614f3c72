using System.Runtime.InteropServices;
using System.Text;
using Urb.Agent.Walk.Linux;
using static Urb.Agent.Restore.Linux.RestoreSyscalls;

namespace Urb.Agent.Restore.Linux;

/// <summary>
/// Creates entries in an open directory, replacing whatever stands at the name. The new entry is
/// created exclusively, and only when the name is taken is what is there unlinked and the entry
/// created again, so an existing symlink is removed, never written through, and a restore into an
/// empty directory makes no unlink call per entry. Each call returns 0 or the errno that stopped it.
/// </summary>
internal static class TargetEntries
{
    private const uint PrivateDirectoryMode = 0b111_000_000;
    private const uint PrivateFileMode = 0b110_000_000;

    /// <summary>Opens the restore's target, following links in the path the user gave (as the walk does for its roots).</summary>
    public static int OpenTarget(string path, out int errno)
    {
        var descriptor = LinuxSyscalls.OpenAt(LinuxSyscalls.AtCurrentDirectory, Terminated(path), DirectoryFlags, 0);
        errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor;
    }

    /// <summary>
    /// Creates the directory (or takes the one already there) and opens it. It is made 0700 for now:
    /// its children must be writable into whatever its own permissions will be, and those are set
    /// when the restore leaves it. A file or symlink at the name is replaced.
    /// </summary>
    public static int CreateDirectory(int parent, byte[] name, out int errno)
    {
        if (MakeDirectoryAt(parent, name, PrivateDirectoryMode) == 0) return OpenDirectory(parent, name, out errno);
        errno = Marshal.GetLastPInvokeError();
        if (errno != RestoreErrno.Exists) return -1;
        var existing = OpenDirectory(parent, name, out errno);
        if (existing >= 0)
        {
            // Best effort: a directory of someone else's stays as it is, and its children may fail.
            _ = ChangeMode(existing, PrivateDirectoryMode);
            return existing;
        }
        // O_NOFOLLOW|O_DIRECTORY fails with ELOOP on a symlink and ENOTDIR on a file: replace those.
        if (errno is not (Errno.NotDirectory or Errno.TooManyLinks)) return -1;
        if ((errno = Remove(parent, name)) != 0) return -1;
        if (MakeDirectoryAt(parent, name, PrivateDirectoryMode) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }
        return OpenDirectory(parent, name, out errno);
    }

    /// <summary>Creates a new, empty file (0600 until its content is written) and opens it for writing.</summary>
    public static int CreateFile(int parent, byte[] name, out int errno)
    {
        var descriptor = -1;
        errno = CreateReplacing(parent, name, () => (descriptor = OpenNewFile(parent, name, out var openErrno)) >= 0 ? 0 : openErrno);
        return errno == 0 ? descriptor : -1;
    }

    public static int CreateSymlink(int parent, byte[] name, byte[] target) =>
        CreateReplacing(parent, name, () => SymlinkAt(target, parent, name) == 0 ? 0 : Marshal.GetLastPInvokeError());

    /// <summary>A new name in <paramref name="parent"/> for the file at <paramref name="sourceName"/> in <paramref name="sourceDirectory"/>.</summary>
    public static int CreateHardLink(int sourceDirectory, byte[] sourceName, int parent, byte[] name) =>
        CreateReplacing(parent, name, () => LinkAt(sourceDirectory, sourceName, parent, name, 0) == 0 ? 0 : Marshal.GetLastPInvokeError());

    /// <summary>Runs <paramref name="create"/> (0 or an errno); when the name is taken, removes what is there and runs it once more.</summary>
    private static int CreateReplacing(int parent, byte[] name, Func<int> create)
    {
        var errno = create();
        if (errno != RestoreErrno.Exists) return errno;
        return (errno = Remove(parent, name)) != 0 ? errno : create();
    }

    private static int OpenNewFile(int parent, byte[] name, out int errno)
    {
        var flags = OpenWriteOnly | OpenCreate | OpenExclusive | LinuxSyscalls.OpenNoFollow | LinuxSyscalls.OpenCloseOnExec;
        var descriptor = LinuxSyscalls.OpenAt(parent, name, flags, PrivateFileMode);
        errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor;
    }

    /// <summary>
    /// Opens a directory this restore created, from the target down, one name at a time and never
    /// through a symlink. O_PATH: passing through needs search permission only, so directories whose
    /// final permissions are already applied (read-only ones too) can still be reached.
    /// </summary>
    public static int OpenRestoredDirectory(int target, IReadOnlyList<string> names, out int errno)
    {
        errno = 0;
        var current = target;
        foreach (var name in names)
        {
            var next = LinuxSyscalls.OpenAt(current, Terminated(name), OpenPathOnly | LinuxSyscalls.OpenDirectory | LinuxSyscalls.OpenNoFollow | LinuxSyscalls.OpenCloseOnExec, 0);
            if (next < 0) errno = Marshal.GetLastPInvokeError();
            if (current != target) LinuxSyscalls.Close(current);
            if (next < 0) return -1;
            current = next;
        }
        return current;
    }

    /// <summary>Removes what is at the name without following it (an empty directory too); 0 when nothing is there any more.</summary>
    public static int Remove(int parent, byte[] name)
    {
        if (UnlinkAt(parent, name, 0) == 0) return 0;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == Errno.NoEntry) return 0;
        if (errno != RestoreErrno.IsDirectory) return errno;
        return UnlinkAt(parent, name, AtRemoveDirectory) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    public static byte[] Terminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static int DirectoryFlags => LinuxSyscalls.OpenDirectory | LinuxSyscalls.OpenCloseOnExec;

    private static int OpenDirectory(int parent, byte[] name, out int errno)
    {
        var descriptor = LinuxSyscalls.OpenAt(parent, name, DirectoryFlags | LinuxSyscalls.OpenNoFollow, 0);
        errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor;
    }
}
