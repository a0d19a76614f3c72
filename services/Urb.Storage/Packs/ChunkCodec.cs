using System.Security.Cryptography;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Storage.Keys;

namespace Urb.Storage.Packs;

/// <summary>
/// Turns a chunk into its pack record and back: verify the plaintext against the chunk ID,
/// compress with zstd (kept raw when that does not shrink it), encrypt with AES-256-GCM under
/// the tenant's data key. Opening checks the tag, decompresses and checks the ID again, so a
/// read never returns bytes that are not the chunk asked for.
/// </summary>
public sealed class ChunkCodec(int compressionLevel)
{
    /// <summary>
    /// The record for a chunk. <paramref name="data"/> is the plaintext, or a zstd frame when
    /// <paramref name="dataIsCompressed"/>; the plaintext must hash to <paramref name="chunkId"/>.
    /// </summary>
    public SealedChunk Seal(TenantKeys keys, ReadOnlySpan<byte> chunkId, ReadOnlyMemory<byte> data, bool dataIsCompressed)
    {
        var plaintext = dataIsCompressed ? Decompress(data.Span, "chunk_data") : data;
        if (!ChunkId.Matches(keys.IdKey, plaintext.Span, chunkId))
        {
            throw new DataLossException($"Chunk {ChunkId.ToHex(chunkId)}: its content does not match its ID (corrupted in transit?); not stored.");
        }

        // A frame that arrived compressed and is smaller is kept as it came: no second compression.
        var (payload, compressed) = dataIsCompressed && data.Length < plaintext.Length ? (data, true) : CompressIfSmaller(plaintext);
        var record = new byte[PackFormat.RecordLength(payload.Length)];
        var nonce = record.AsSpan(PackFormat.RecordHeaderSize - PackFormat.NonceSize, PackFormat.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        PackFormat.WriteRecordHeader(record, compressed ? PackFormat.Compressed : (byte)0, chunkId, plaintext.Length, payload.Length, nonce);

        Span<byte> associated = stackalloc byte[16 + PackFormat.RecordHeaderSize];
        BuildAssociatedData(keys.TenantId, record.AsSpan(0, PackFormat.RecordHeaderSize), associated);
        using var aes = new AesGcm(keys.DataKey, PackFormat.TagSize);
        aes.Encrypt(nonce, payload.Span, record.AsSpan(PackFormat.RecordHeaderSize, payload.Length), record.AsSpan(PackFormat.RecordHeaderSize + payload.Length), associated);
        return new SealedChunk(chunkId.ToArray(), record, plaintext.Length);
    }

    /// <summary>The verified plaintext of a record, or <see cref="ChunkCorruptException"/> saying what is wrong.</summary>
    public byte[] Open(TenantKeys keys, ReadOnlySpan<byte> record, ReadOnlySpan<byte> expectedChunkId)
    {
        if (!PackFormat.TryReadRecordHeader(record, out var header) || header.RecordLength != record.Length)
        {
            throw new ChunkCorruptException("the record header is damaged");
        }
        if (!header.ChunkId.AsSpan().SequenceEqual(expectedChunkId))
        {
            throw new ChunkCorruptException("the record holds another chunk");
        }
        var payload = new byte[header.StoredLength];
        Span<byte> associated = stackalloc byte[16 + PackFormat.RecordHeaderSize];
        BuildAssociatedData(keys.TenantId, record[..PackFormat.RecordHeaderSize], associated);
        try
        {
            using var aes = new AesGcm(keys.DataKey, PackFormat.TagSize);
            aes.Decrypt(record.Slice(PackFormat.RecordHeaderSize - PackFormat.NonceSize, PackFormat.NonceSize),
                record.Slice(PackFormat.RecordHeaderSize, header.StoredLength), record[^PackFormat.TagSize..], payload, associated);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new ChunkCorruptException("the encrypted data fails its authentication tag");
        }

        var plaintext = payload;
        if (header.IsCompressed)
        {
            plaintext = new byte[header.PlainLength];
            try
            {
                Zstd.DecompressExactly(payload, plaintext);
            }
            catch (InvalidDataException)
            {
                throw new ChunkCorruptException("the compressed data is damaged");
            }
        }
        if (plaintext.Length != header.PlainLength || !ChunkId.Matches(keys.IdKey, plaintext, expectedChunkId))
        {
            throw new ChunkCorruptException("the content does not match the chunk ID");
        }
        return plaintext;
    }

    /// <summary>True when a record is intact (used when finishing a pack after a crash).</summary>
    public bool IsIntact(TenantKeys keys, ReadOnlySpan<byte> record, ReadOnlySpan<byte> chunkId)
    {
        try
        {
            Open(keys, record, chunkId);
            return true;
        }
        catch (ChunkCorruptException)
        {
            return false;
        }
    }

    private (ReadOnlyMemory<byte> Payload, bool Compressed) CompressIfSmaller(ReadOnlyMemory<byte> plaintext)
    {
        var buffer = new byte[Zstd.CompressBound(plaintext.Length)];
        var written = Zstd.Compress(plaintext.Span, buffer, compressionLevel);
        return written < plaintext.Length ? (buffer.AsMemory(0, written), true) : (plaintext, false);
    }

    private static byte[] Decompress(ReadOnlySpan<byte> frame, string field)
    {
        var size = Zstd.ContentSize(frame)
            ?? throw new InvalidInputException(field, "The compressed chunk is not a zstd frame that states its content size.");
        if (size > ChunkLimits.MaxChunkBytes)
        {
            throw new InvalidInputException(field, $"A chunk may hold at most {ChunkLimits.MaxChunkBytes} bytes; this one says {size}.");
        }
        var plaintext = new byte[size];
        try
        {
            Zstd.DecompressExactly(frame, plaintext);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException(field, $"The compressed chunk is damaged: {e.Message}");
        }
        return plaintext;
    }

    private static void BuildAssociatedData(Guid tenant, ReadOnlySpan<byte> recordHeader, Span<byte> destination)
    {
        tenant.TryWriteBytes(destination);
        recordHeader.CopyTo(destination[16..]);
    }
}

/// <summary>A chunk ready to append: its ID, its record and its plaintext length.</summary>
public sealed record SealedChunk(byte[] ChunkId, byte[] Record, int PlainLength);

/// <summary>A stored record is not the chunk it should be; the reader turns this into DataLoss.</summary>
public sealed class ChunkCorruptException(string reason) : Exception(reason);
