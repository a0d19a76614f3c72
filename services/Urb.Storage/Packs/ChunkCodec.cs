using System.Buffers;
using System.Security.Cryptography;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Storage.Keys;

namespace Urb.Storage.Packs;

/// <summary>
/// Turns a chunk into its pack record and back: verify the plaintext against the chunk ID,
/// compress with zstd (kept raw when that does not shrink it), encrypt with AES-256-GCM under
/// the tenant's data key. Opening checks the tag, decompresses and checks the ID again, so a
/// read never returns bytes that are not the chunk asked for. Temporary buffers (a decompressed
/// frame, a compression output, a decrypted payload) come from the shared array pool: at 1 MiB
/// a chunk they would otherwise be the service's main garbage.
/// </summary>
public sealed class ChunkCodec(int compressionLevel)
{
    /// <summary>
    /// The record for a chunk. <paramref name="data"/> is the plaintext, or a zstd frame when
    /// <paramref name="dataIsCompressed"/>; the plaintext must hash to <paramref name="chunkId"/>.
    /// </summary>
    /// <remarks>
    /// With <paramref name="verifiedByCaller"/> (Urb.Ingest has checked the ID and compressed where
    /// that helps) the data is only encrypted: a compressed frame that states a plausible size is
    /// kept as it is, raw data stays raw. Reads verify every chunk either way.
    /// </remarks>
    /// <param name="dictionary">The chunk holds a compression dictionary: its record is marked (<see cref="PackFormat.Dictionary"/>).</param>
    public SealedChunk Seal(
        TenantKeys keys, ReadOnlySpan<byte> chunkId, ReadOnlyMemory<byte> data, bool dataIsCompressed, bool verifiedByCaller = false, bool dictionary = false)
    {
        var marks = dictionary ? PackFormat.Dictionary : (byte)0;
        if (verifiedByCaller)
        {
            var plainLength = dataIsCompressed ? Zstd.ContentSize(data.Span) : data.Length;
            if (plainLength is { } length && length >= data.Length && length <= ChunkLimits.MaxChunkBytes)
            {
                return new SealedChunk(chunkId.ToArray(), Encrypt(keys, chunkId, data.Span, (int)length, dataIsCompressed, marks), (int)length);
            }
        }
        byte[]? rentedPlaintext = null;
        byte[]? rentedCompressed = null;
        try
        {
            var plaintext = data;
            if (dataIsCompressed)
            {
                rentedPlaintext = ReceivedChunk.DecompressToRented(data.Span, "chunk_data", out var plainLength);
                plaintext = rentedPlaintext.AsMemory(0, plainLength);
            }
            if (!ChunkId.Matches(keys.IdKey, plaintext.Span, chunkId))
            {
                throw new DataLossException($"Chunk {ChunkId.ToHex(chunkId)}: its content does not match its ID (corrupted in transit?); not stored.");
            }

            // A frame that arrived compressed and is smaller is kept as it came: no second compression.
            ReadOnlyMemory<byte> payload;
            bool compressed;
            if (dataIsCompressed && data.Length < plaintext.Length)
            {
                (payload, compressed) = (data, true);
            }
            else
            {
                rentedCompressed = ArrayPool<byte>.Shared.Rent(Zstd.CompressBound(plaintext.Length));
                var written = Zstd.Compress(plaintext.Span, rentedCompressed, compressionLevel);
                (payload, compressed) = written < plaintext.Length ? (rentedCompressed.AsMemory(0, written), true) : (plaintext, false);
            }
            return new SealedChunk(chunkId.ToArray(), Encrypt(keys, chunkId, payload.Span, plaintext.Length, compressed, marks), plaintext.Length);
        }
        finally
        {
            if (rentedPlaintext is not null) ArrayPool<byte>.Shared.Return(rentedPlaintext);
            if (rentedCompressed is not null) ArrayPool<byte>.Shared.Return(rentedCompressed);
        }
    }

    /// <summary>The verified plaintext of a record, or <see cref="ChunkCorruptException"/> saying what is wrong.</summary>
    public byte[] Open(TenantKeys keys, ReadOnlySpan<byte> record, ReadOnlySpan<byte> expectedChunkId)
    {
        var header = ReadHeader(record, expectedChunkId);
        // An uncompressed record decrypts straight into the answer; a compressed one through a pooled buffer.
        var plaintext = new byte[header.PlainLength];
        var rentedPayload = header.IsCompressed ? ArrayPool<byte>.Shared.Rent(header.StoredLength) : null;
        try
        {
            var payload = rentedPayload is null ? plaintext.AsSpan() : rentedPayload.AsSpan(0, header.StoredLength);
            if (payload.Length != header.StoredLength) throw new ChunkCorruptException("the record's lengths disagree");
            Decrypt(keys, record, header, payload);
            if (rentedPayload is not null)
            {
                try
                {
                    Zstd.DecompressExactly(payload, plaintext);
                }
                catch (InvalidDataException)
                {
                    throw new ChunkCorruptException("the compressed data is damaged");
                }
            }
        }
        finally
        {
            if (rentedPayload is not null) ArrayPool<byte>.Shared.Return(rentedPayload);
        }
        if (!ChunkId.Matches(keys.IdKey, plaintext, expectedChunkId))
        {
            throw new ChunkCorruptException("the content does not match the chunk ID");
        }
        return plaintext;
    }

    /// <summary>
    /// A record's payload as stored, once its authentication tag holds: the zstd frame of a
    /// compressed chunk, else the plaintext. Neither decompressed nor checked against the ID:
    /// the caller hands both to a receiver that does them (a restoring agent), so the frame
    /// crosses every hop compressed. The tag covers the header with the ID, so the payload is
    /// the one sealed for this chunk.
    /// </summary>
    public StoredChunk OpenStored(TenantKeys keys, ReadOnlySpan<byte> record, ReadOnlySpan<byte> expectedChunkId)
    {
        var header = ReadHeader(record, expectedChunkId);
        var payload = new byte[header.StoredLength];
        Decrypt(keys, record, header, payload);
        return new StoredChunk(payload, header.IsCompressed, header.PlainLength);
    }

    /// <summary>
    /// The verified plaintext of a record's payload (<see cref="OpenStored"/>): decompressed, with
    /// the dictionary its frame names when it names one, and checked against the ID; else
    /// <see cref="ChunkCorruptException"/> saying what is wrong.
    /// </summary>
    public static byte[] Decode(StoredChunk stored, ReadOnlySpan<byte> expectedChunkId, TenantKeys keys, ZstdDict? dictionary)
    {
        var plaintext = stored.Data;
        if (stored.Compressed)
        {
            plaintext = new byte[stored.PlainLength];
            try
            {
                Zstd.DecompressExactly(stored.Data, plaintext, dictionary);
            }
            catch (InvalidDataException)
            {
                throw new ChunkCorruptException("the compressed data is damaged");
            }
        }
        return ChunkId.Matches(keys.IdKey, plaintext, expectedChunkId)
            ? plaintext
            : throw new ChunkCorruptException("the content does not match the chunk ID");
    }

    /// <summary>
    /// True when a record is intact (used when finishing a pack after a crash): its tag holds, and
    /// its content matches its ID. A frame compressed with a dictionary is taken on its tag alone:
    /// the dictionary is the index's to find, and the pack is finished before the index is asked.
    /// </summary>
    public bool IsIntact(TenantKeys keys, ReadOnlySpan<byte> record, ReadOnlySpan<byte> chunkId)
    {
        try
        {
            var stored = OpenStored(keys, record, chunkId);
            if (!stored.Compressed || ZstdFrame.DictionaryId(stored.Data) == 0) Decode(stored, chunkId, keys, dictionary: null);
            return true;
        }
        catch (ChunkCorruptException)
        {
            return false;
        }
    }

    private static RecordHeader ReadHeader(ReadOnlySpan<byte> record, ReadOnlySpan<byte> expectedChunkId)
    {
        if (!PackFormat.TryReadRecordHeader(record, out var header) || header.RecordLength != record.Length)
        {
            throw new ChunkCorruptException("the record header is damaged");
        }
        if (!header.ChunkId.AsSpan().SequenceEqual(expectedChunkId))
        {
            throw new ChunkCorruptException("the record holds another chunk");
        }
        return header;
    }

    private static byte[] Encrypt(TenantKeys keys, ReadOnlySpan<byte> chunkId, ReadOnlySpan<byte> payload, int plainLength, bool compressed, byte marks)
    {
        var record = new byte[PackFormat.RecordLength(payload.Length)];
        var nonce = record.AsSpan(PackFormat.RecordHeaderSize - PackFormat.NonceSize, PackFormat.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        PackFormat.WriteRecordHeader(record, (byte)((compressed ? PackFormat.Compressed : 0) | marks), chunkId, plainLength, payload.Length, nonce);
        Span<byte> associated = stackalloc byte[16 + PackFormat.RecordHeaderSize];
        BuildAssociatedData(keys.TenantId, record.AsSpan(0, PackFormat.RecordHeaderSize), associated);
        using var aes = new AesGcm(keys.DataKey, PackFormat.TagSize);
        aes.Encrypt(nonce, payload, record.AsSpan(PackFormat.RecordHeaderSize, payload.Length), record.AsSpan(PackFormat.RecordHeaderSize + payload.Length), associated);
        return record;
    }

    private static void Decrypt(TenantKeys keys, ReadOnlySpan<byte> record, RecordHeader header, Span<byte> payload)
    {
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
    }

    private static void BuildAssociatedData(Guid tenant, ReadOnlySpan<byte> recordHeader, Span<byte> destination)
    {
        tenant.TryWriteBytes(destination);
        recordHeader.CopyTo(destination[16..]);
    }
}

/// <summary>A chunk ready to append: its ID, its record and its plaintext length.</summary>
public sealed record SealedChunk(byte[] ChunkId, byte[] Record, int PlainLength);

/// <summary>A record's payload as stored: a zstd frame when <paramref name="Compressed"/>, else the plaintext.</summary>
public sealed record StoredChunk(byte[] Data, bool Compressed, int PlainLength);

/// <summary>A stored record is not the chunk it should be; the reader turns this into DataLoss.</summary>
public sealed class ChunkCorruptException(string reason) : Exception(reason);
