using System.Security.Cryptography;
using Urb.Domain.Content;

namespace Urb.Domain.Tests;

public sealed class ZstdTests
{
    [Fact]
    public void IsNative_OnThisMachine_UsesTheSystemLibrary() =>
        Assert.True(Zstd.IsNative, "libzstd1 is part of every Debian system; the managed port is only a fallback");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    [InlineData(1_048_576)]
    public void CompressThenDecompress_AnyData_RoundTrips(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i % 251 ^ i / 1000)).ToArray();
        var frame = new byte[Zstd.CompressBound(length)];

        var written = Zstd.Compress(data, frame, 1);
        var back = new byte[length];
        Zstd.DecompressExactly(frame.AsSpan(0, written), back);

        Assert.Equal(data, back);
        Assert.Equal(length, Zstd.ContentSize(frame.AsSpan(0, written)));
    }

    [Fact]
    public void Compress_IncompressibleData_FitsTheBound()
    {
        var data = RandomNumberGenerator.GetBytes(300_000);
        var frame = new byte[Zstd.CompressBound(data.Length)];

        var written = Zstd.Compress(data, frame, 1);

        Assert.InRange(written, data.Length, Zstd.CompressBound(data.Length));
    }

    [Fact]
    public void DecompressExactly_DamagedOrWrongSize_ThrowsInvalidData()
    {
        var data = Enumerable.Repeat((byte)'a', 10_000).ToArray();
        var frame = new byte[Zstd.CompressBound(data.Length)];
        var written = Zstd.Compress(data, frame, 1);

        Assert.Throws<InvalidDataException>(() => Zstd.DecompressExactly(frame.AsSpan(0, written), new byte[9_999]));
        Assert.Throws<InvalidDataException>(() => Zstd.DecompressExactly(RandomNumberGenerator.GetBytes(64), new byte[100]));
    }

    [Fact]
    public void ContentSize_NotAFrame_IsNull() => Assert.Null(Zstd.ContentSize(RandomNumberGenerator.GetBytes(32)));
}
