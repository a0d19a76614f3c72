using System.Buffers.Binary;
using Urb.Domain.Content;

namespace Urb.Storage.Packs;

/// <summary>
/// The layout of a pack file (all integers little-endian):
/// <code>
/// header   "URBPACK1" tenant-id(16)
/// record*  "URBC" flags(1) chunk-id(32) plain-length(4) stored-length(4) nonce(12) ciphertext(stored-length) tag(16)
/// trailer  "URBT" count(4) { chunk-id(32) offset(8) length(4) plain-length(4) }*count
/// footer   trailer-offset(8) count(4) sha256(trailer)(32) "URBPEND1"
/// </code>
/// Records are self-describing, so an unsealed pack (no trailer) can be read front to back
/// after a crash; the trailer lets a sealed pack's index be read with two small reads. The
/// AES-GCM associated data is the tenant id and the record header, which binds the ciphertext
/// to its chunk id, lengths and flags.
/// </summary>
public static class PackFormat
{
    public static ReadOnlySpan<byte> HeaderMagic => "URBPACK1"u8;
    public static ReadOnlySpan<byte> RecordMagic => "URBC"u8;
    public static ReadOnlySpan<byte> TrailerMagic => "URBT"u8;
    public static ReadOnlySpan<byte> FooterMagic => "URBPEND1"u8;

    public const int HeaderSize = 8 + 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int RecordHeaderSize = 4 + 1 + ChunkId.Size + 4 + 4 + NonceSize;
    public const int TrailerEntrySize = ChunkId.Size + 8 + 4 + 4;
    public const int FooterSize = 8 + 4 + 32 + 8;

    /// <summary>Flag bit: the stored data is a zstd frame.</summary>
    public const byte Compressed = 1;

    /// <summary>
    /// Flag bit: the record holds a client's compression dictionary (see
    /// <c>CompressionDictionaries.Pack</c>), so that <c>rebuild-index</c> can register it again from
    /// the packs alone. The flag is part of the authenticated header.
    /// </summary>
    public const byte Dictionary = 2;

    public static int RecordLength(int storedLength) => RecordHeaderSize + storedLength + TagSize;

    public static byte[] Header(Guid tenant)
    {
        var header = new byte[HeaderSize];
        HeaderMagic.CopyTo(header);
        tenant.TryWriteBytes(header.AsSpan(8));
        return header;
    }

    public static bool TryReadHeader(ReadOnlySpan<byte> header, out Guid tenant)
    {
        tenant = Guid.Empty;
        if (header.Length < HeaderSize || !header[..8].SequenceEqual(HeaderMagic)) return false;
        tenant = new Guid(header.Slice(8, 16));
        return true;
    }

    public static void WriteRecordHeader(Span<byte> destination, byte flags, ReadOnlySpan<byte> chunkId, int plainLength, int storedLength, ReadOnlySpan<byte> nonce)
    {
        RecordMagic.CopyTo(destination);
        destination[4] = flags;
        chunkId.CopyTo(destination[5..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(5 + ChunkId.Size)..], plainLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(9 + ChunkId.Size)..], storedLength);
        nonce.CopyTo(destination[(13 + ChunkId.Size)..]);
    }

    /// <summary>Reads a record header; false when it is not one (a torn or foreign tail).</summary>
    public static bool TryReadRecordHeader(ReadOnlySpan<byte> source, out RecordHeader header)
    {
        header = default;
        if (source.Length < RecordHeaderSize || !source[..4].SequenceEqual(RecordMagic)) return false;
        var flags = source[4];
        var plain = BinaryPrimitives.ReadInt32LittleEndian(source[(5 + ChunkId.Size)..]);
        var stored = BinaryPrimitives.ReadInt32LittleEndian(source[(9 + ChunkId.Size)..]);
        if ((flags & ~(Compressed | Dictionary)) != 0 || plain is < 0 or > ChunkLimits.MaxChunkBytes || stored is < 0 or > ChunkLimits.MaxChunkBytes + 1024) return false;
        header = new RecordHeader(flags, source.Slice(5, ChunkId.Size).ToArray(), plain, stored);
        return true;
    }

    public static byte[] Trailer(IReadOnlyList<PackEntry> entries, long trailerOffset)
    {
        var trailerLength = 8 + entries.Count * TrailerEntrySize;
        var bytes = new byte[trailerLength + FooterSize];
        var span = bytes.AsSpan();
        TrailerMagic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], entries.Count);
        var at = 8;
        foreach (var entry in entries)
        {
            entry.ChunkId.CopyTo(span[at..]);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 32)..], entry.Offset);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 40)..], entry.Length);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 44)..], entry.PlainLength);
            at += TrailerEntrySize;
        }
        var footer = span[trailerLength..];
        BinaryPrimitives.WriteInt64LittleEndian(footer, trailerOffset);
        BinaryPrimitives.WriteInt32LittleEndian(footer[8..], entries.Count);
        System.Security.Cryptography.SHA256.HashData(span[..trailerLength], footer[12..]);
        FooterMagic.CopyTo(footer[44..]);
        return bytes;
    }

    /// <summary>Reads a footer; false when the pack has none (it was never sealed).</summary>
    public static bool TryReadFooter(ReadOnlySpan<byte> footer, out long trailerOffset, out int count, out byte[] trailerHash)
    {
        (trailerOffset, count, trailerHash) = (0, 0, []);
        if (footer.Length != FooterSize || !footer[44..].SequenceEqual(FooterMagic)) return false;
        trailerOffset = BinaryPrimitives.ReadInt64LittleEndian(footer);
        count = BinaryPrimitives.ReadInt32LittleEndian(footer[8..]);
        trailerHash = footer.Slice(12, 32).ToArray();
        return trailerOffset >= HeaderSize && count >= 0;
    }

    public static List<PackEntry> ReadTrailer(ReadOnlySpan<byte> trailer, int count)
    {
        if (trailer.Length != 8 + count * TrailerEntrySize || !trailer[..4].SequenceEqual(TrailerMagic)
            || BinaryPrimitives.ReadInt32LittleEndian(trailer[4..]) != count)
        {
            throw new InvalidDataException("The pack trailer is malformed.");
        }
        var entries = new List<PackEntry>(count);
        for (var at = 8; at < trailer.Length; at += TrailerEntrySize)
        {
            entries.Add(new PackEntry(
                trailer.Slice(at, ChunkId.Size).ToArray(),
                BinaryPrimitives.ReadInt64LittleEndian(trailer[(at + 32)..]),
                BinaryPrimitives.ReadInt32LittleEndian(trailer[(at + 40)..]),
                BinaryPrimitives.ReadInt32LittleEndian(trailer[(at + 44)..])));
        }
        return entries;
    }
}

/// <summary>A record's header fields.</summary>
public readonly record struct RecordHeader(byte Flags, byte[] ChunkId, int PlainLength, int StoredLength)
{
    public bool IsCompressed => (Flags & PackFormat.Compressed) != 0;

    public bool IsDictionary => (Flags & PackFormat.Dictionary) != 0;

    public int RecordLength => PackFormat.RecordLength(StoredLength);
}

/// <summary>One chunk's record in a pack: what the trailer lists and the index stores.</summary>
public sealed record PackEntry(byte[] ChunkId, long Offset, int Length, int PlainLength);
