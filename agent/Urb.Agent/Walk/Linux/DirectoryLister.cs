using System.Runtime.InteropServices;

namespace Urb.Agent.Walk.Linux;

/// <summary>
/// Lists an open directory with getdents64(2): a whole buffer of names per syscall, no per-entry
/// allocation beyond the name itself, and no path ever built.
/// </summary>
internal sealed class DirectoryLister
{
    // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[].
    private const int RecordLengthOffset = 16;
    private const int NameOffset = 19;

    private readonly byte[] _buffer = new byte[64 * 1024];

    /// <summary>
    /// The names in the directory (without "." and ".."), each NUL-terminated so it can be handed
    /// to the *at() syscalls as is, sorted by their bytes. The NUL sorts below every byte a name
    /// can hold, so comparing the terminated arrays gives plain ordinal order on the UTF-8 bytes.
    /// Returns 0, or the errno that stopped the listing (the names read until then are kept).
    /// </summary>
    public int List(int directory, List<byte[]> names)
    {
        var error = 0;
        while (true)
        {
            var read = LinuxSyscalls.GetDirectoryEntries(directory, _buffer, (nuint)_buffer.Length);
            if (read < 0)
            {
                error = Marshal.GetLastPInvokeError();
                if (error == Errno.Interrupted) continue;
                break;
            }
            if (read == 0) break;
            AddNames(_buffer.AsSpan(0, (int)read), names);
        }
        names.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        return error;
    }

    private static void AddNames(ReadOnlySpan<byte> records, List<byte[]> names)
    {
        for (var offset = 0; offset < records.Length;)
        {
            int length = MemoryMarshal.Read<ushort>(records[(offset + RecordLengthOffset)..]);
            var name = records.Slice(offset + NameOffset, length - NameOffset);
            name = name[..name.IndexOf((byte)0)];
            offset += length;
            if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8)) continue;
            var terminated = new byte[name.Length + 1];
            name.CopyTo(terminated);
            names.Add(terminated);
        }
    }
}
