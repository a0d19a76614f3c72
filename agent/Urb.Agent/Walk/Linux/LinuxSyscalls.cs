using System.Runtime.InteropServices;

namespace Urb.Agent.Walk.Linux;

/// <summary>
/// The few libc calls the walk needs. Every name is passed relative to an open directory
/// (the *at() calls), so no syscall ever sees a whole path: trees deeper than PATH_MAX (4096
/// bytes) walk like any other, and a directory renamed above us does not change what we read.
/// </summary>
/// <remarks>
/// DllImport rather than LibraryImport: the LibraryImport generator emits unsafe code and so
/// needs AllowUnsafeBlocks in the agent project (SYSLIB1062). Every signature here is blittable
/// (ints, byte arrays that are pinned, an out struct of fixed layout), so the runtime passes the
/// arguments straight through and no marshalling is paid for either way. Names are NUL-terminated
/// byte arrays, not strings: a Linux file name is bytes, and we hand back exactly the bytes we
/// were given by getdents64.
/// </remarks>
internal static class LinuxSyscalls
{
    private const string Libc = "libc";

    public const int AtCurrentDirectory = -100;
    public const int AtSymlinkNoFollow = 0x100;
    // Stat an automount point itself rather than triggering the mount (a walk must not mount
    // every autofs share it passes).
    public const int AtNoAutomount = 0x800;
    public const int AtEmptyPath = 0x1000;

    // STATX_BASIC_STATS: type, mode, nlink, uid, gid, atime, mtime, ctime, ino, size, blocks.
    public const uint StatxBasicStats = 0x7ff;

    public const int OpenCloseOnExec = 0x80000;

    // O_DIRECTORY and O_NOFOLLOW are the only flags whose values differ between the
    // architectures we run on: arm64 (and 32-bit arm) took them from the old ARM ABI.
    public static int OpenDirectory { get; } = IsArm ? 0x4000 : 0x10000;
    public static int OpenNoFollow { get; } = IsArm ? 0x8000 : 0x20000;

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm or Architecture.Armv6;

    /// <summary>openat(2); mode is only read with O_CREAT, which we never pass, but it keeps the
    /// variadic call well-formed on every ABI.</summary>
    [DllImport(Libc, EntryPoint = "openat", SetLastError = true)]
    public static extern int OpenAt(int directory, byte[] name, int flags, uint mode);

    [DllImport(Libc, EntryPoint = "close", SetLastError = true)]
    private static extern int CloseDescriptor(int descriptor);

    /// <summary>close(2), ignoring its result: a read-only directory descriptor has nothing to
    /// flush, and on Linux the descriptor is released even when close reports an error.</summary>
    public static void Close(int descriptor) => _ = CloseDescriptor(descriptor);

    /// <summary>getdents64(2) (glibc 2.30+): fills the buffer with linux_dirent64 records.</summary>
    [DllImport(Libc, EntryPoint = "getdents64", SetLastError = true)]
    public static extern nint GetDirectoryEntries(int directory, byte[] buffer, nuint size);

    /// <summary>statx(2) (glibc 2.28+, Linux 4.11+).</summary>
    [DllImport(Libc, EntryPoint = "statx", SetLastError = true)]
    public static extern int Statx(int directory, byte[] name, int flags, uint mask, out StatxBuffer result);

    [DllImport(Libc, EntryPoint = "readlinkat", SetLastError = true)]
    public static extern nint ReadLinkAt(int directory, byte[] name, byte[] buffer, nuint size);
}
