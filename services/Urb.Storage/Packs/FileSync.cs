using System.Runtime.InteropServices;

namespace Urb.Storage.Packs;

/// <summary>
/// fsync(2) of a directory, so that a file created or renamed in it survives a crash. .NET
/// opens no handles on directories, hence the direct calls (Linux; a no-op elsewhere).
/// </summary>
internal static partial class FileSync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux (x86-64 and arm64)

    public static void FsyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = open(path, ReadOnly | Directory);
        if (fd < 0) throw new IOException($"Cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
