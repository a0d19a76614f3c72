using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Urb.Agent.Walk;
using Urb.Agent.Walk.Linux;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Errors;
using static Urb.Agent.Restore.Linux.RestoreSyscalls;

namespace Urb.Agent.Restore.Linux;

/// <summary>
/// The file whose content is being written. Blocks of zeros are not written but skipped, so the
/// file gets holes where they were: a sparse file stays sparse, and a disk image of mostly zeros
/// does not fill the disk. A file that ends in such a hole gets its length at the end.
/// </summary>
internal sealed class RestoringFile(string path, int descriptor, Node node) : IDisposable
{
    // Filesystems allocate in blocks of 4 KiB (or a multiple of it); a hole is only ever a run of
    // whole blocks, so zeros are looked for in pieces aligned to 4 KiB of the file.
    private const int BlockSize = 4096;

    private readonly SafeFileHandle _handle = new(descriptor, ownsHandle: true);
    private long _written;
    // Where the last byte actually written ends: below _written when the file ends in a hole.
    private long _writtenEnd;

    public string Path => path;

    public Node Node => node;

    /// <summary>Writes the next piece of content; throws as soon as it goes past the node's size.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length > node.Size - _written)
        {
            throw new InvalidInputException("content", $"'{path}': more content than its size of {node.Size} bytes ({_written + data.Length} bytes so far).");
        }
        var pending = 0;
        for (var position = 0; position < data.Length;)
        {
            var blockEnd = Math.Min(data.Length, position + BlockSize - (int)((_written + position) % BlockSize));
            if (data[position..blockEnd].IndexOfAnyExcept((byte)0) < 0)
            {
                // The file is new and each offset is written once, so a byte never written reads as zero.
                WriteAt(data[pending..position], _written + pending);
                pending = blockEnd;
            }
            position = blockEnd;
        }
        WriteAt(data[pending..], _written + pending);
        _written += data.Length;
    }

    /// <summary>
    /// Checks that all the content came, then sets the length and the metadata. Returns what
    /// metadata could not be set (or null), and for a file with other names the restored file's
    /// identity, which later hard links to it are checked against.
    /// </summary>
    public (string? Problem, FileIdentity? Identity) Finish(bool restoreOwner)
    {
        if (_written != node.Size)
        {
            throw new InvalidInputException("content", $"'{path}': {_written} bytes of content were written, but its size is {node.Size} bytes.");
        }
        // The file is new: only a hole at its end leaves it shorter than its content.
        if (_writtenEnd != node.Size) RandomAccess.SetLength(_handle, node.Size);
        var problem = NodeMetadata.Apply(descriptor, node, restoreOwner);
        if (node.LinkCount <= 1) return (problem, null);
        var stated = LinuxSyscalls.Statx(descriptor, [0], LinuxSyscalls.AtEmptyPath, LinuxSyscalls.StatxBasicStats, out var stat) == 0;
        return (problem, stated ? stat.ToMetadata().Identity : null);
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// pwrite(2) until all is written, again after EINTR. Not RandomAccess.Write: for a handle made
    /// from a descriptor it first asks the kernel whether the file can seek, a call per file.
    /// </summary>
    private void WriteAt(ReadOnlySpan<byte> data, long offset)
    {
        while (!data.IsEmpty)
        {
            var written = PositionalWrite(descriptor, ref MemoryMarshal.GetReference(data), data.Length, offset);
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.Interrupted) continue;
                throw new IOException($"Cannot write '{path}': {Errno.Describe(errno)}.");
            }
            if (written == 0) throw new IOException($"Cannot write '{path}': the file system took no bytes at offset {offset}.");
            data = data[(int)written..];
            offset += written;
            _writtenEnd = offset;
        }
    }
}
