using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

public sealed class ChunkCodecTests
{
    private readonly ChunkCodec codec = new(compressionLevel: 1);
    private readonly Urb.Storage.Keys.TenantKeys keys = TestKeys.NewTenant();

    [Fact]
    public void Seal_CompressibleData_StoresItCompressedAndOpensToTheSameBytes()
    {
        var data = TestKeys.CompressibleBytes(200_000);
        var id = ChunkId.Compute(keys.IdKey, data);

        var chunk = codec.Seal(keys, id, data, dataIsCompressed: false);

        var header = ReadHeader(chunk.Record);
        Assert.True(header.IsCompressed);
        Assert.True(header.StoredLength < data.Length / 10, $"stored {header.StoredLength} bytes");
        Assert.Equal(data.Length, header.PlainLength);
        Assert.Equal(id, header.ChunkId);
        Assert.Equal(id, chunk.ChunkId);
        Assert.Equal(data.Length, chunk.PlainLength);
        Bytes.Equal(data, codec.Open(keys, chunk.Record, id));
    }

    [Fact]
    public void SealVerified_FrameOfADictionary_IsIntactAndDecodesOnlyWithThatDictionary()
    {
        var samples = Enumerable.Range(0, 200).Select(i => (ReadOnlyMemory<byte>)TestKeys.CompressibleBytes(2_000 + i)).ToList();
        var dictionary = ZstdDict.Train(samples, 8 * 1024, ZstdDict.FirstId + 3)!;
        var data = TestKeys.CompressibleBytes(5_000);
        var id = ChunkId.Compute(keys.IdKey, data);
        var frame = new byte[Zstd.CompressBound(data.Length)];
        var length = Zstd.Compress(data, frame, 3, dictionary);

        var chunk = codec.Seal(keys, id, frame.AsMemory(0, length), dataIsCompressed: true, verifiedByCaller: true);
        var stored = codec.OpenStored(keys, chunk.Record, id);

        Assert.True(codec.IsIntact(keys, chunk.Record, id), "a pack's recovery keeps a record whose tag holds, whatever dictionary its frame needs");
        Assert.Equal(dictionary.Id, ZstdFrame.DictionaryId(stored.Data));
        Bytes.Equal(data, ChunkCodec.Decode(stored, id, keys, dictionary));
        Assert.Throws<ChunkCorruptException>(() => ChunkCodec.Decode(stored, id, keys, dictionary: null));
        var damaged = chunk.Record.ToArray();
        damaged[PackFormat.RecordHeaderSize] ^= 1;
        Assert.False(codec.IsIntact(keys, damaged, id));
    }

    [Fact]
    public void Seal_IncompressibleData_StoresItRawWithHeaderAndTag()
    {
        var data = TestKeys.RandomBytes(100_000);
        var id = ChunkId.Compute(keys.IdKey, data);

        var chunk = codec.Seal(keys, id, data, dataIsCompressed: false);

        var header = ReadHeader(chunk.Record);
        Assert.False(header.IsCompressed);
        Assert.Equal(data.Length, header.StoredLength);
        Assert.Equal(PackFormat.RecordHeaderSize + data.Length + PackFormat.TagSize, chunk.Record.Length);
        Assert.False(chunk.Record.AsSpan(PackFormat.RecordHeaderSize, data.Length).SequenceEqual(data), "the data is stored in the clear");
        Bytes.Equal(data, codec.Open(keys, chunk.Record, id));
    }

    [Fact]
    public void Seal_CompressedInputSmallerThanPlaintext_StoresTheFrameAsItCame()
    {
        var data = TestKeys.CompressibleBytes(300_000);
        using var compressor = new ZstdSharp.Compressor(3);
        var frame = compressor.Wrap(data).ToArray();
        var id = ChunkId.Compute(keys.IdKey, data);

        var chunk = codec.Seal(keys, id, frame, dataIsCompressed: true);

        var header = ReadHeader(chunk.Record);
        Assert.True(header.IsCompressed);
        Assert.Equal(frame.Length, header.StoredLength);
        Assert.Equal(data.Length, header.PlainLength);
        Assert.Equal(data.Length, chunk.PlainLength);
        Bytes.Equal(data, codec.Open(keys, chunk.Record, id));
    }

    [Fact]
    public void Seal_CompressedInputLargerThanPlaintext_StoresThePlaintextRaw()
    {
        var data = TestKeys.RandomBytes(50_000);
        using var compressor = new ZstdSharp.Compressor(3);
        var frame = compressor.Wrap(data).ToArray();
        Assert.True(frame.Length > data.Length);
        var id = ChunkId.Compute(keys.IdKey, data);

        var chunk = codec.Seal(keys, id, frame, dataIsCompressed: true);

        var header = ReadHeader(chunk.Record);
        Assert.False(header.IsCompressed);
        Assert.Equal(data.Length, header.StoredLength);
        Bytes.Equal(data, codec.Open(keys, chunk.Record, id));
    }

    [Fact]
    public void Seal_VerifiedByCaller_StoresTheDataAsGivenAndReadsStillVerify()
    {
        var data = TestKeys.CompressibleBytes(300_000);
        using var compressor = new ZstdSharp.Compressor(3);
        var frame = compressor.Wrap(data).ToArray();
        var id = ChunkId.Compute(keys.IdKey, data);
        var random = TestKeys.RandomBytes(50_000);
        var randomId = ChunkId.Compute(keys.IdKey, random);

        var compressed = codec.Seal(keys, id, frame, dataIsCompressed: true, verifiedByCaller: true);
        var raw = codec.Seal(keys, randomId, random, dataIsCompressed: false, verifiedByCaller: true);
        // A caller that claims verification but is wrong is still caught, on the first read.
        var wrong = codec.Seal(keys, randomId, data, dataIsCompressed: false, verifiedByCaller: true);

        Assert.Equal(frame.Length, ReadHeader(compressed.Record).StoredLength);
        Assert.Equal(data.Length, compressed.PlainLength);
        Bytes.Equal(data, codec.Open(keys, compressed.Record, id));
        Assert.False(ReadHeader(raw.Record).IsCompressed);
        Bytes.Equal(random, codec.Open(keys, raw.Record, randomId));
        Assert.Throws<ChunkCorruptException>(() => codec.Open(keys, wrong.Record, randomId));
    }

    [Fact]
    public void Seal_ZeroLengthChunk_RoundTrips()
    {
        var id = ChunkId.Compute(keys.IdKey, []);

        var chunk = codec.Seal(keys, id, Array.Empty<byte>(), dataIsCompressed: false);

        Assert.Equal(PackFormat.RecordHeaderSize + PackFormat.TagSize, chunk.Record.Length);
        Assert.Equal(0, chunk.PlainLength);
        Assert.Empty(codec.Open(keys, chunk.Record, id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Seal_ContentNotMatchingItsId_ThrowsDataLoss(bool dataIsCompressed)
    {
        var data = TestKeys.CompressibleBytes(10_000);
        var id = ChunkId.Compute(keys.IdKey, data);
        data[5000] ^= 0xFF;
        using var compressor = new ZstdSharp.Compressor(3);
        var sent = dataIsCompressed ? compressor.Wrap(data).ToArray() : data;

        Assert.Throws<DataLossException>(() => codec.Seal(keys, id, sent, dataIsCompressed));
    }

    [Fact]
    public void Seal_IdComputedUnderAnotherTenantsKey_ThrowsDataLoss()
    {
        var data = TestKeys.RandomBytes(1000);
        var foreignId = ChunkId.Compute(TestKeys.NewTenant().IdKey, data);

        Assert.Throws<DataLossException>(() => codec.Seal(keys, foreignId, data, dataIsCompressed: false));
    }

    [Fact]
    public void Seal_SameChunkTwice_UsesFreshNonces()
    {
        var data = TestKeys.RandomBytes(1000);
        var id = ChunkId.Compute(keys.IdKey, data);

        var first = codec.Seal(keys, id, data, dataIsCompressed: false).Record;
        var second = codec.Seal(keys, id, data, dataIsCompressed: false).Record;

        var nonceAt = PackFormat.RecordHeaderSize - PackFormat.NonceSize;
        Assert.NotEqual(first.AsSpan(nonceAt, PackFormat.NonceSize).ToArray(), second.AsSpan(nonceAt, PackFormat.NonceSize).ToArray());
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("compressible")]
    [InlineData("incompressible")]
    public void Open_AnySingleFlippedByte_ThrowsChunkCorrupt(string kind)
    {
        var data = kind == "compressible" ? TestKeys.CompressibleBytes(20_000) : TestKeys.RandomBytes(20_000);
        var id = ChunkId.Compute(keys.IdKey, data);
        var record = codec.Seal(keys, id, data, dataIsCompressed: false).Record;
        var dataAt = PackFormat.RecordHeaderSize;
        int[] positions =
        [
            0, 3,                                       // record magic
            4,                                          // flags
            5, 5 + ChunkId.Size - 1,                    // chunk ID
            5 + ChunkId.Size, 5 + ChunkId.Size + 3,     // plain length
            9 + ChunkId.Size, 9 + ChunkId.Size + 2,     // stored length
            dataAt - PackFormat.NonceSize, dataAt - 1,  // nonce
            dataAt, dataAt + 1, record.Length - PackFormat.TagSize - 1, // ciphertext
            record.Length - PackFormat.TagSize, record.Length - 1,      // tag
        ];

        foreach (var at in positions)
        {
            foreach (var bit in (byte[])[0x01, 0x80])
            {
                var damaged = record.ToArray();
                damaged[at] ^= bit;
                var e = Record.Exception(() => codec.Open(keys, damaged, id));
                Assert.True(e is ChunkCorruptException, $"Flipping bit {bit:x2} of byte {at} gave {e?.GetType().Name ?? "no exception"}.");
                Assert.False(codec.IsIntact(keys, damaged, id));
            }
        }
        Bytes.Equal(data, codec.Open(keys, record, id));
    }

    [Fact]
    public void Open_TruncatedOrExtendedRecord_ThrowsChunkCorrupt()
    {
        var data = TestKeys.RandomBytes(5000);
        var id = ChunkId.Compute(keys.IdKey, data);
        var record = codec.Seal(keys, id, data, dataIsCompressed: false).Record;

        Assert.Throws<ChunkCorruptException>(() => codec.Open(keys, record.AsSpan(..^1), id));
        Assert.Throws<ChunkCorruptException>(() => codec.Open(keys, [.. record, 0], id));
        Assert.Throws<ChunkCorruptException>(() => codec.Open(keys, record.AsSpan(..10), id));
    }

    [Fact]
    public void Open_UnderAnotherTenantsKeys_ThrowsChunkCorrupt()
    {
        var data = TestKeys.RandomBytes(5000);
        var id = ChunkId.Compute(keys.IdKey, data);
        var record = codec.Seal(keys, id, data, dataIsCompressed: false).Record;
        var other = TestKeys.NewTenant();

        Assert.Throws<ChunkCorruptException>(() => codec.Open(other, record, id));
        // Same keys under another tenant ID: the tenant is bound through the associated data.
        Assert.Throws<ChunkCorruptException>(() => codec.Open(keys with { TenantId = Guid.NewGuid() }, record, id));
        // Right data key, wrong ID key: decrypts, but the content does not match the ID.
        Assert.Throws<ChunkCorruptException>(() => codec.Open(keys with { IdKey = other.IdKey }, record, id));
    }

    [Fact]
    public void Open_DifferentExpectedChunkId_ThrowsChunkCorrupt()
    {
        var data = TestKeys.RandomBytes(5000);
        var id = ChunkId.Compute(keys.IdKey, data);
        var record = codec.Seal(keys, id, data, dataIsCompressed: false).Record;
        var otherId = ChunkId.Compute(keys.IdKey, TestKeys.RandomBytes(5000));

        Assert.Throws<ChunkCorruptException>(() => codec.Open(keys, record, otherId));
        Assert.False(codec.IsIntact(keys, record, otherId));
        Assert.True(codec.IsIntact(keys, record, id));
    }

    [Fact]
    public void OpenStored_CompressedRecord_ReturnsItsZstdFrameAndPlainLength()
    {
        var data = TestKeys.CompressibleBytes(300_000);
        var id = ChunkId.Compute(keys.IdKey, data);
        var record = codec.Seal(keys, id, data, dataIsCompressed: false).Record;

        var stored = codec.OpenStored(keys, record, id);

        Assert.True(stored.Compressed);
        Assert.Equal(data.Length, stored.PlainLength);
        Assert.Equal(ReadHeader(record).StoredLength, stored.Data.Length);
        var plaintext = new byte[stored.PlainLength];
        Zstd.DecompressExactly(stored.Data, plaintext);
        Bytes.Equal(data, plaintext);
    }

    [Fact]
    public void OpenStored_RawRecord_ReturnsThePlaintext()
    {
        var data = TestKeys.RandomBytes(70_000);
        var id = ChunkId.Compute(keys.IdKey, data);
        var record = codec.Seal(keys, id, data, dataIsCompressed: false).Record;

        var stored = codec.OpenStored(keys, record, id);

        Assert.False(stored.Compressed);
        Assert.Equal(data.Length, stored.PlainLength);
        Bytes.Equal(data, stored.Data);
    }

    [Theory]
    [InlineData("compressible")]
    [InlineData("incompressible")]
    public void OpenStored_FlippedByteOrAnotherChunksId_ThrowsChunkCorrupt(string kind)
    {
        // Without a hash of the plaintext here, the authentication tag (over the header with the ID) is what holds.
        var data = kind == "compressible" ? TestKeys.CompressibleBytes(20_000) : TestKeys.RandomBytes(20_000);
        var id = ChunkId.Compute(keys.IdKey, data);
        var record = codec.Seal(keys, id, data, dataIsCompressed: false).Record;
        var otherId = ChunkId.Compute(keys.IdKey, TestKeys.RandomBytes(100));

        foreach (var at in new[] { 4, 5, PackFormat.RecordHeaderSize, record.Length / 2, record.Length - 1 })
        {
            var damaged = record.ToArray();
            damaged[at] ^= 0x01;
            Assert.Throws<ChunkCorruptException>(() => codec.OpenStored(keys, damaged, id));
        }
        Assert.Throws<ChunkCorruptException>(() => codec.OpenStored(keys, record, otherId));
        Assert.Throws<ChunkCorruptException>(() => codec.OpenStored(keys with { TenantId = Guid.NewGuid() }, record, id));
    }

    [Fact]
    public void Seal_CompressedFrameClaimingMoreThanMaxChunkBytes_ThrowsInvalidInput()
    {
        var data = new byte[ChunkLimits.MaxChunkBytes + 1];
        using var compressor = new ZstdSharp.Compressor(3);
        var frame = compressor.Wrap(data).ToArray();

        var e = Assert.Throws<InvalidInputException>(() => codec.Seal(keys, new byte[ChunkId.Size], frame, dataIsCompressed: true));
        Assert.Equal("chunk_data", e.Field);
        Assert.Contains(ChunkLimits.MaxChunkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_CompressedFlagOnDataThatIsNoZstdFrame_ThrowsInvalidInput()
    {
        var data = TestKeys.RandomBytes(1000);

        var e = Assert.Throws<InvalidInputException>(() => codec.Seal(keys, ChunkId.Compute(keys.IdKey, data), data, dataIsCompressed: true));
        Assert.Equal("chunk_data", e.Field);
    }

    [Fact]
    public void Seal_StreamedFrameWithoutContentSize_ThrowsInvalidInput()
    {
        var data = TestKeys.CompressibleBytes(10_000);
        using var buffer = new MemoryStream();
        using (var stream = new ZstdSharp.CompressionStream(buffer, 3, leaveOpen: true))
        {
            stream.Write(data);
        }

        var e = Assert.Throws<InvalidInputException>(() => codec.Seal(keys, ChunkId.Compute(keys.IdKey, data), buffer.ToArray(), dataIsCompressed: true));
        Assert.Equal("chunk_data", e.Field);
    }

    [Fact]
    public void Seal_TruncatedCompressedFrame_ThrowsInvalidInput()
    {
        var data = TestKeys.CompressibleBytes(100_000);
        using var compressor = new ZstdSharp.Compressor(3);
        var frame = compressor.Wrap(data).ToArray();

        var e = Assert.Throws<InvalidInputException>(() => codec.Seal(keys, ChunkId.Compute(keys.IdKey, data), frame.AsMemory(..^10), dataIsCompressed: true));
        Assert.Equal("chunk_data", e.Field);
    }

    private static RecordHeader ReadHeader(byte[] record)
    {
        Assert.True(PackFormat.TryReadRecordHeader(record, out var header));
        Assert.Equal(record.Length, header.RecordLength);
        return header;
    }
}
