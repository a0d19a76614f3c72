using System.Runtime.InteropServices;

namespace Urb.Agent.Walk.Linux;

/// <summary>
/// struct statx from linux/stat.h. We use statx(2) rather than lstat/fstatat because its layout is
/// defined once for every architecture (struct stat differs between x86-64 and arm64), and it
/// gives nanosecond times, ctime and the inode in one call. The kernel fills 256 bytes; only the
/// fields the walk reads are declared.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(16)] public uint LinkCount;
    [FieldOffset(20)] public uint UserId;
    [FieldOffset(24)] public uint GroupId;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(96)] public long ChangedSeconds;
    [FieldOffset(104)] public uint ChangedNanoseconds;
    [FieldOffset(112)] public long ModifiedSeconds;
    [FieldOffset(120)] public uint ModifiedNanoseconds;
    // The device a device node stands for (st_rdev), e.g. 8:1 for /dev/sda1.
    [FieldOffset(128)] public uint SpecialMajor;
    [FieldOffset(132)] public uint SpecialMinor;
    [FieldOffset(136)] public uint DeviceMajor;
    [FieldOffset(140)] public uint DeviceMinor;

    /// <summary>The device number as stat(2)'s st_dev reports it (glibc's makedev), so it
    /// compares equal to what other tools print.</summary>
    public readonly ulong Device =>
        ((ulong)(DeviceMajor & 0xfffff000) << 32) | ((ulong)(DeviceMajor & 0xfff) << 8)
        | ((ulong)(DeviceMinor & 0xffffff00) << 12) | (DeviceMinor & 0xff);

    public readonly FileMetadata ToMetadata() => new(
        Size: (long)Size,
        ModifiedNanoseconds: (ModifiedSeconds * 1_000_000_000) + ModifiedNanoseconds,
        ChangedNanoseconds: (ChangedSeconds * 1_000_000_000) + ChangedNanoseconds,
        Mode: Mode,
        UserId: UserId,
        GroupId: GroupId,
        Device: Device,
        Inode: Inode,
        LinkCount: LinkCount);
}
