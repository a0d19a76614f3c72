using System.Runtime.InteropServices;
using Urb.Agent.Walk.Linux;

namespace Urb.Agent.Restore.Linux;

/// <summary>
/// The libc calls a restore needs beyond the walk's (<see cref="LinuxSyscalls"/>: openat, close,
/// statx). As there, every name is given relative to an open directory, so nothing is ever
/// resolved through a whole path: no symlink in the restored tree can redirect a write, and trees
/// deeper than PATH_MAX restore like any other. Names and link targets are NUL-terminated UTF-8.
/// </summary>
/// <remarks>
/// DllImport with blittable arguments only, for the reasons given on <see cref="LinuxSyscalls"/>.
/// Times are struct timespec[2] as four longs: time_t and long are both 64 bits on the 64-bit
/// architectures the agent runs on (x86-64, arm64).
/// </remarks>
internal static class RestoreSyscalls
{
    private const string Libc = "libc";

    public const int OpenWriteOnly = 0x1;
    public const int OpenCreate = 0x40;
    public const int OpenExclusive = 0x80;
    // O_PATH: a handle to walk through a directory that needs only search permission on it.
    public const int OpenPathOnly = 0x200000;

    public const int AtRemoveDirectory = 0x200;

    /// <summary>UTIME_OMIT: leave this time as it is (the access time: a backup does not keep it).</summary>
    public const long TimeOmit = (1L << 30) - 2;

    [DllImport(Libc, EntryPoint = "mkdirat", SetLastError = true)]
    public static extern int MakeDirectoryAt(int directory, byte[] name, uint mode);

    [DllImport(Libc, EntryPoint = "unlinkat", SetLastError = true)]
    public static extern int UnlinkAt(int directory, byte[] name, int flags);

    [DllImport(Libc, EntryPoint = "symlinkat", SetLastError = true)]
    public static extern int SymlinkAt(byte[] target, int directory, byte[] name);

    /// <summary>linkat(2) with flags 0: a symlink as the old name is linked itself, never followed.</summary>
    [DllImport(Libc, EntryPoint = "linkat", SetLastError = true)]
    public static extern int LinkAt(int oldDirectory, byte[] oldName, int newDirectory, byte[] newName, int flags);

    /// <summary>pwrite(2): may write less than asked, or fail with EINTR.</summary>
    [DllImport(Libc, EntryPoint = "pwrite", SetLastError = true)]
    public static extern nint PositionalWrite(int descriptor, ref byte buffer, nint count, long offset);

    [DllImport(Libc, EntryPoint = "fchmod", SetLastError = true)]
    public static extern int ChangeMode(int descriptor, uint mode);

    [DllImport(Libc, EntryPoint = "fchown", SetLastError = true)]
    public static extern int ChangeOwner(int descriptor, uint userId, uint groupId);

    [DllImport(Libc, EntryPoint = "fchownat", SetLastError = true)]
    public static extern int ChangeOwnerAt(int directory, byte[] name, uint userId, uint groupId, int flags);

    [DllImport(Libc, EntryPoint = "futimens", SetLastError = true)]
    public static extern int SetTimes(int descriptor, long[] times);

    [DllImport(Libc, EntryPoint = "utimensat", SetLastError = true)]
    public static extern int SetTimesAt(int directory, byte[] name, long[] times, int flags);

    [DllImport(Libc, EntryPoint = "geteuid")]
    public static extern uint GetEffectiveUserId();
}
