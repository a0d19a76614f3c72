using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Urb.Agent.Walk.Linux;

namespace Urb.Agent.Image.Linux;

/// <summary>What a path is (following symlinks): its file type, st_size and, for a block device, its device number.</summary>
public sealed record VolumeStat(bool IsRegular, bool IsDirectory, bool IsBlockDevice, long FileSize, uint Major, uint Minor)
{
    /// <summary>The volume's size. A device is opened for it, so callers check whether it is mounted first.</summary>
    public long SizeOf(string path) => IsBlockDevice ? BlockDevices.DeviceSize(path) : FileSize;
}

/// <summary>The Linux calls image backups need: stat a volume, the size of a block device, and whether it is mounted.</summary>
public static class BlockDevices
{
    // BLKGETSIZE64 = _IOR(0x12, 114, size_t): the same number on x86-64 and arm64.
    private const nuint BlockGetSize64 = 0x80081272;

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int IoctlSize(SafeFileHandle descriptor, nuint request, out ulong size);

    /// <summary>stat(2) of the path, following symlinks; null when it does not exist.</summary>
    public static VolumeStat? Stat(string path)
    {
        var name = Encoding.UTF8.GetBytes(path + "\0");
        if (LinuxSyscalls.Statx(LinuxSyscalls.AtCurrentDirectory, name, 0, LinuxSyscalls.StatxBasicStats, out var stat) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 2) return null; // ENOENT
            throw new IOException($"{path}: cannot stat: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return new VolumeStat(FileTypes.IsRegular(stat.Mode), FileTypes.IsDirectory(stat.Mode), FileTypes.IsBlockDevice(stat.Mode),
            (long)stat.Size, stat.SpecialMajor, stat.SpecialMinor);
    }

    /// <summary>A block device's size in bytes (st_size of a device node is 0; the kernel tells it by ioctl).</summary>
    public static long DeviceSize(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (IoctlSize(handle, BlockGetSize64, out var size) != 0)
        {
            throw new IOException($"{path}: cannot read the device size: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        return (long)size;
    }

    /// <summary>
    /// How the block device is mounted: null when it is not, else whether any of its mounts is
    /// read-write. Matched by device number and, for filesystems that report another one
    /// (btrfs), by the mount source's real path.
    /// </summary>
    public static bool? MountedReadWrite(string devicePath, uint major, uint minor) =>
        MountedReadWrite(File.ReadLines("/proc/self/mountinfo"), RealPath(devicePath), $"{major}:{minor}");

    /// <summary>The same over the lines of a mountinfo file (see proc(5)).</summary>
    public static bool? MountedReadWrite(IEnumerable<string> mountinfo, string realDevicePath, string majorMinor)
    {
        bool? result = null;
        foreach (var line in mountinfo)
        {
            // ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 6 || separator < 0 || separator + 2 >= fields.Length) continue;
            var source = fields[separator + 2];
            if (fields[2] != majorMinor && !(source.StartsWith('/') && RealPath(source) == realDevicePath)) continue;
            var readWrite = fields[5].Split(',').Contains("rw");
            result = (result ?? false) || readWrite;
        }
        return result;
    }

    /// <summary>Where a symlink leads (the path itself when it is none, or cannot be read, like /dev/root).</summary>
    public static string RealPath(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Path.GetFullPath(path);
        }
    }
}
