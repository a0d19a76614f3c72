using System.Buffers.Binary;
using Urb.DedupIndex.Data;
using Urb.Domain.Content;

namespace Urb.DedupIndex.Cache;

/// <summary>
/// A cached file entry's value: a format byte, the size (8 bytes, little-endian), then the packed
/// chunk IDs. The hash is in the key. Anything that does not decode is treated as a cache miss,
/// so a future format (or a stray value) costs a database lookup, never a wrong answer.
/// </summary>
public static class FileEntryCodec
{
    private const byte Version = 1;
    private const int HeaderSize = 1 + sizeof(long);

    public static byte[] Encode(FileContent entry)
    {
        var value = new byte[HeaderSize + entry.ChunkIds.Length];
        value[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(1), entry.Size);
        entry.ChunkIds.CopyTo(value, HeaderSize);
        return value;
    }

    public static FileContent? TryDecode(byte[] fileHash, ReadOnlySpan<byte> value)
    {
        if (value.Length < HeaderSize || value[0] != Version || (value.Length - HeaderSize) % ChunkId.Size != 0) return null;
        var size = BinaryPrimitives.ReadInt64LittleEndian(value[1..]);
        return size < 0 ? null : new FileContent(fileHash, size, value[HeaderSize..].ToArray());
    }
}
