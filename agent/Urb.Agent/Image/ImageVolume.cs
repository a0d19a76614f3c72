using Urb.Agent.Image.Linux;
using Urb.Domain.Errors;

namespace Urb.Agent.Image;

/// <summary>
/// One volume of an image backup: a block device or a regular file holding a volume, its name in
/// the snapshot and its size. A symlink is followed for the volume path itself (so
/// /dev/disk/by-uuid/… and /dev/vg/lv work); a directory or anything else is refused.
/// </summary>
public sealed record ImageVolume(string Path, string Name, long Size, bool IsBlockDevice)
{
    /// <summary>Set for a block device mounted read-write: the image may be inconsistent.</summary>
    public string? Caution { get; init; }

    /// <summary>Checks every path and names the volumes; throws (a usage error) at the first that is no volume.</summary>
    public static IReadOnlyList<ImageVolume> OpenAll(IReadOnlyList<string> paths)
    {
        var names = VolumeNaming.NamesFor(paths);
        return paths.Select((path, i) => Open(path, names[i])).ToList();
    }

    public static ImageVolume Open(string path, string name)
    {
        if (!System.IO.Path.IsPathRooted(path)) throw new InvalidInputException("volume", $"{path}: a volume is given by its absolute path.");
        var stat = BlockDevices.Stat(path) ?? throw new InvalidInputException("volume", $"{path}: no such device or file.");
        if (stat.IsDirectory)
        {
            throw new InvalidInputException("volume", $"{path}: is a directory; an image backup reads a block device or a file holding a volume (back up directories with a file backup).");
        }
        if (!stat.IsRegular && !stat.IsBlockDevice) throw new InvalidInputException("volume", $"{path}: neither a block device nor a regular file.");
        var caution = stat.IsBlockDevice && BlockDevices.MountedReadWrite(path, stat.Major, stat.Minor) == true
            ? $"{path} is mounted read-write: its image may be inconsistent; image an unmounted volume or a snapshot (e.g. an LVM snapshot)"
            : null;
        return new ImageVolume(path, name, stat.SizeOf(path), stat.IsBlockDevice) { Caution = caution };
    }
}
