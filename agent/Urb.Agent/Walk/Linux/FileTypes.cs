namespace Urb.Agent.Walk.Linux;

/// <summary>The file type bits of st_mode (S_IFMT and friends, the same on every Linux architecture).</summary>
internal static class FileTypes
{
    private const uint TypeMask = 0xf000;
    private const uint Socket = 0xc000;
    private const uint Symlink = 0xa000;
    private const uint Regular = 0x8000;
    private const uint BlockDevice = 0x6000;
    private const uint Directory = 0x4000;
    private const uint CharacterDevice = 0x2000;
    private const uint Fifo = 0x1000;

    public static bool IsSymlink(uint mode) => (mode & TypeMask) == Symlink;

    public static bool IsDirectory(uint mode) => (mode & TypeMask) == Directory;

    public static bool IsRegular(uint mode) => (mode & TypeMask) == Regular;

    public static bool IsBlockDevice(uint mode) => (mode & TypeMask) == BlockDevice;

    /// <summary>Why an entry of this type is not backed up: these have no contents a restore could
    /// bring back (a socket or FIFO is recreated by its program; device nodes belong to the system).</summary>
    public static string SkipReason(uint mode) => (mode & TypeMask) switch
    {
        Socket => "socket: not backed up",
        Fifo => "FIFO (named pipe): not backed up",
        BlockDevice => "block device: not backed up",
        CharacterDevice => "character device: not backed up",
        _ => $"unknown file type 0x{mode & TypeMask:x}: not backed up",
    };
}
