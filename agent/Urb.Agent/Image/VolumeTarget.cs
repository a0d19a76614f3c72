using Urb.Agent.Image.Linux;
using Urb.Domain.Errors;

namespace Urb.Agent.Image;

/// <summary>
/// Where restore-image writes one volume: an existing block device (refused while mounted, even
/// read-only, and when smaller than the image) or a regular file (created, or truncated). Data
/// arrives in order; in a file, pieces that are all zeros are skipped over and left as holes.
/// </summary>
public sealed class VolumeTarget : IDisposable
{
    private readonly FileStream stream;
    private readonly bool sparse;

    private VolumeTarget(FileStream stream, bool sparse, bool isBlockDevice) => (this.stream, this.sparse, IsBlockDevice) = (stream, sparse, isBlockDevice);

    public bool IsBlockDevice { get; }

    public long Written { get; private set; }

    /// <summary>Checks the target and opens it for an image of <paramref name="size"/> bytes.</summary>
    public static VolumeTarget Open(string path, long size)
    {
        var stat = BlockDevices.Stat(path);
        if (stat is { IsDirectory: true }) throw new InvalidInputException("to", $"{path} is a directory; give a block device or a file to write the volume to.");
        if (stat is { IsBlockDevice: true })
        {
            if (BlockDevices.MountedReadWrite(path, stat.Major, stat.Minor) is not null)
            {
                throw new InvalidInputException("to", $"{path} is mounted; unmount it before writing an image over it.");
            }
            var capacity = stat.SizeOf(path);
            if (capacity < size)
            {
                throw new InvalidInputException("to", $"{path} holds {capacity:N0} bytes, less than the image's {size:N0}.");
            }
            return new VolumeTarget(Stream(path, FileMode.Open), sparse: false, isBlockDevice: true);
        }
        if (stat is not null && !stat.IsRegular) throw new InvalidInputException("to", $"{path} is neither a block device nor a regular file.");
        return new VolumeTarget(Stream(path, FileMode.Create), sparse: true, isBlockDevice: false);
    }

    private static FileStream Stream(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        // Owner only, as in the snapshot: an image holds every file of the volume. (Only a mode that creates may set it.)
        if (mode == FileMode.Create && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(path, options);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        // A device must get its zeros (it holds old data); a new file reads zeros from a hole.
        if (sparse && !data.ContainsAnyExcept((byte)0)) stream.Seek(data.Length, SeekOrigin.Current);
        else stream.Write(data);
        Written += data.Length;
    }

    /// <summary>Gives a file its full length (a trailing hole is not written) and makes everything durable.</summary>
    public void Complete()
    {
        if (!IsBlockDevice) stream.SetLength(Written);
        stream.Flush(flushToDisk: true);
    }

    public void Dispose() => stream.Dispose();
}
