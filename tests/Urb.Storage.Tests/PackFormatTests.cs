using System.Buffers.Binary;
using System.Security.Cryptography;
using Urb.Domain.Content;
using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

public sealed class PackFormatTests
{
    private static readonly int PlainLengthAt = 5 + ChunkId.Size;
    private static readonly int StoredLengthAt = 9 + ChunkId.Size;

    [Fact]
    public void Header_WrittenThenRead_RoundTripsTenant()
    {
        var tenant = Guid.NewGuid();

        var header = PackFormat.Header(tenant);

        Assert.Equal(PackFormat.HeaderSize, header.Length);
        Assert.True(PackFormat.HeaderMagic.SequenceEqual(header.AsSpan(0, 8)));
        Assert.True(PackFormat.TryReadHeader(header, out var read));
        Assert.Equal(tenant, read);
    }

    [Fact]
    public void TryReadHeader_BadMagicOrShort_ReturnsFalse()
    {
        var header = PackFormat.Header(Guid.NewGuid());
        var badMagic = header.ToArray();
        badMagic[7] ^= 0x01;

        Assert.False(PackFormat.TryReadHeader(badMagic, out _));
        Assert.False(PackFormat.TryReadHeader(header.AsSpan(0, PackFormat.HeaderSize - 1), out _));
        Assert.False(PackFormat.TryReadHeader([], out _));
    }

    [Fact]
    public void Trailer_WrittenThenRead_RoundTripsEntriesAndFooter()
    {
        var entries = Enumerable.Range(0, 5)
            .Select(i => new PackEntry(RandomNumberGenerator.GetBytes(ChunkId.Size), PackFormat.HeaderSize + (i * 70_000L), 60_000 + i, 1_000_000 + i))
            .ToList();
        const long trailerOffset = 5L * 1024 * 1024 * 1024; // past 4 GiB: offsets are 64-bit

        var bytes = PackFormat.Trailer(entries, trailerOffset);

        var trailerLength = 8 + (entries.Count * PackFormat.TrailerEntrySize);
        Assert.Equal(trailerLength + PackFormat.FooterSize, bytes.Length);
        Assert.True(PackFormat.TryReadFooter(bytes.AsSpan(trailerLength), out var offset, out var count, out var hash));
        Assert.Equal(trailerOffset, offset);
        Assert.Equal(entries.Count, count);
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, trailerLength)), hash);
        var read = PackFormat.ReadTrailer(bytes.AsSpan(0, trailerLength), count);
        Assert.Equal(entries.Count, read.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(entries[i].ChunkId, read[i].ChunkId);
            Assert.Equal((entries[i].Offset, entries[i].Length, entries[i].PlainLength), (read[i].Offset, read[i].Length, read[i].PlainLength));
        }
    }

    [Fact]
    public void Trailer_NoEntries_RoundTripsEmpty()
    {
        var bytes = PackFormat.Trailer([], PackFormat.HeaderSize);

        Assert.Equal(8 + PackFormat.FooterSize, bytes.Length);
        Assert.True(PackFormat.TryReadFooter(bytes.AsSpan(8), out var offset, out var count, out _));
        Assert.Equal(PackFormat.HeaderSize, offset);
        Assert.Equal(0, count);
        Assert.Empty(PackFormat.ReadTrailer(bytes.AsSpan(0, 8), 0));
    }

    [Fact]
    public void TryReadFooter_TailOfAnUnsealedPack_ReturnsFalse()
    {
        var keys = TestKeys.NewTenant();
        var record = TestKeys.Seal(new ChunkCodec(1), keys, TestKeys.RandomBytes(1000)).Record;

        Assert.False(PackFormat.TryReadFooter(record.AsSpan(record.Length - PackFormat.FooterSize), out _, out _, out _));
        Assert.False(PackFormat.TryReadFooter(new byte[PackFormat.FooterSize], out _, out _, out _));
    }

    [Fact]
    public void TryReadFooter_DamagedFooter_ReturnsFalse()
    {
        var footer = PackFormat.Trailer([], 1000).AsSpan(8).ToArray();
        Assert.True(PackFormat.TryReadFooter(footer, out _, out _, out _));

        var badMagic = footer.ToArray();
        badMagic[^1] ^= 0x01;
        var offsetInsideHeader = footer.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(offsetInsideHeader, PackFormat.HeaderSize - 1);
        var negativeCount = footer.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(negativeCount.AsSpan(8), -1);

        Assert.False(PackFormat.TryReadFooter(badMagic, out _, out _, out _));
        Assert.False(PackFormat.TryReadFooter(offsetInsideHeader, out _, out _, out _));
        Assert.False(PackFormat.TryReadFooter(negativeCount, out _, out _, out _));
        Assert.False(PackFormat.TryReadFooter(footer.AsSpan(1), out _, out _, out _));
        Assert.False(PackFormat.TryReadFooter([0, .. footer], out _, out _, out _));
    }

    [Fact]
    public void ReadTrailer_WrongCountOrMagic_ThrowsInvalidData()
    {
        var entry = new PackEntry(new byte[ChunkId.Size], PackFormat.HeaderSize, 100, 50);
        var trailer = PackFormat.Trailer([entry, entry], 5000).AsSpan(0, 8 + (2 * PackFormat.TrailerEntrySize)).ToArray();
        var badMagic = trailer.ToArray();
        badMagic[0] ^= 0x01;

        Assert.Equal(2, PackFormat.ReadTrailer(trailer, 2).Count);
        Assert.Throws<InvalidDataException>(() => PackFormat.ReadTrailer(trailer, 1));
        Assert.Throws<InvalidDataException>(() => PackFormat.ReadTrailer(trailer, 3));
        Assert.Throws<InvalidDataException>(() => PackFormat.ReadTrailer(badMagic, 2));
        Assert.Throws<InvalidDataException>(() => PackFormat.ReadTrailer(trailer.AsSpan(0, trailer.Length - 1), 2));
    }

    [Fact]
    public void WriteRecordHeader_ThenTryRead_RoundTripsEveryField()
    {
        var chunkId = RandomNumberGenerator.GetBytes(ChunkId.Size);
        var nonce = RandomNumberGenerator.GetBytes(PackFormat.NonceSize);
        var bytes = new byte[PackFormat.RecordHeaderSize];

        PackFormat.WriteRecordHeader(bytes, PackFormat.Compressed, chunkId, plainLength: 123_456, storedLength: 7890, nonce);

        Assert.True(PackFormat.TryReadRecordHeader(bytes, out var header));
        Assert.True(header.IsCompressed);
        Assert.Equal(chunkId, header.ChunkId);
        Assert.Equal(123_456, header.PlainLength);
        Assert.Equal(7890, header.StoredLength);
        Assert.Equal(PackFormat.RecordHeaderSize + 7890 + PackFormat.TagSize, header.RecordLength);
        Assert.Equal(nonce, bytes.AsSpan(PackFormat.RecordHeaderSize - PackFormat.NonceSize).ToArray());
    }

    [Fact]
    public void TryReadRecordHeader_Garbage_ReturnsFalse()
    {
        Assert.False(PackFormat.TryReadRecordHeader(TestKeys.RandomBytes(PackFormat.RecordHeaderSize), out _));
        Assert.False(PackFormat.TryReadRecordHeader(new byte[PackFormat.RecordHeaderSize], out _));
        Assert.False(PackFormat.TryReadRecordHeader(PackFormat.Trailer([], 1000), out _));
        Assert.False(PackFormat.TryReadRecordHeader([], out _));
    }

    [Fact]
    public void TryReadRecordHeader_ShortOrBadMagic_ReturnsFalse()
    {
        var valid = ValidHeader();
        var badMagic = valid.ToArray();
        badMagic[3] = (byte)'X';

        Assert.False(PackFormat.TryReadRecordHeader(valid.AsSpan(0, PackFormat.RecordHeaderSize - 1), out _));
        Assert.False(PackFormat.TryReadRecordHeader(badMagic, out _));
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void TryReadRecordHeader_UnknownFlag_ReturnsFalse(byte flags)
    {
        var header = ValidHeader();
        header[4] = flags;

        Assert.False(PackFormat.TryReadRecordHeader(header, out _));
    }

    [Theory]
    [InlineData(PackFormat.Dictionary, false, true)]
    [InlineData(PackFormat.Compressed | PackFormat.Dictionary, true, true)]
    [InlineData(PackFormat.Compressed, true, false)]
    public void TryReadRecordHeader_KnownFlags_SayCompressedAndDictionary(byte flags, bool compressed, bool dictionary)
    {
        var header = ValidHeader();
        header[4] = flags;

        Assert.True(PackFormat.TryReadRecordHeader(header, out var fields));
        Assert.Equal((compressed, dictionary), (fields.IsCompressed, fields.IsDictionary));
    }

    [Theory]
    [InlineData(-1, 100)]
    [InlineData(int.MinValue, 100)]
    [InlineData(ChunkLimits.MaxChunkBytes + 1, 100)]
    [InlineData(100, -1)]
    [InlineData(100, ChunkLimits.MaxChunkBytes + 1025)]
    [InlineData(100, int.MaxValue)]
    public void TryReadRecordHeader_LengthOutOfRange_ReturnsFalse(int plainLength, int storedLength)
    {
        var header = ValidHeader();
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(PlainLengthAt), plainLength);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(StoredLengthAt), storedLength);

        Assert.False(PackFormat.TryReadRecordHeader(header, out _));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(ChunkLimits.MaxChunkBytes, ChunkLimits.MaxChunkBytes + 1024)]
    public void TryReadRecordHeader_LengthsAtTheLimits_ReturnsTrue(int plainLength, int storedLength)
    {
        var header = ValidHeader();
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(PlainLengthAt), plainLength);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(StoredLengthAt), storedLength);

        Assert.True(PackFormat.TryReadRecordHeader(header, out var read));
        Assert.Equal((plainLength, storedLength), (read.PlainLength, read.StoredLength));
    }

    private static byte[] ValidHeader()
    {
        var header = new byte[PackFormat.RecordHeaderSize];
        PackFormat.WriteRecordHeader(header, 0, RandomNumberGenerator.GetBytes(ChunkId.Size), 100, 100, RandomNumberGenerator.GetBytes(PackFormat.NonceSize));
        Assert.True(PackFormat.TryReadRecordHeader(header, out _));
        return header;
    }
}
