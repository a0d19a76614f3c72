using Urb.Domain.Content;

namespace Urb.Domain.Tests;

public sealed class ZstdCompressorTests
{
    [Fact]
    public void Compress_ManyChunksThroughOneContext_EachFrameDecompressesToItsChunk()
    {
        using var compressor = new ZstdCompressor();
        var random = new Random(7);
        foreach (var length in new[] { 0, 1, 4096, 300_000, 1 << 20 })
        {
            var chunk = new byte[length];
            random.NextBytes(chunk.AsSpan(0, length / 2)); // half noise, half zeros: compressible
            var frame = new byte[Zstd.CompressBound(length)];

            var written = compressor.Compress(chunk, frame, level: 3);

            var back = new byte[length];
            Zstd.DecompressExactly(frame.AsSpan(0, written), back);
            Assert.Equal(chunk, back);
        }
    }

    [Fact]
    public void Compress_SameChunk_SameFrameAsTheSharedCompressor()
    {
        using var compressor = new ZstdCompressor();
        var chunk = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251 ^ i / 997)).ToArray();
        var ours = new byte[Zstd.CompressBound(chunk.Length)];
        var shared = new byte[Zstd.CompressBound(chunk.Length)];

        var oursLength = compressor.Compress(chunk, ours, level: 3);
        var sharedLength = Zstd.Compress(chunk, shared, level: 3);

        Assert.Equal(shared.AsSpan(0, sharedLength).ToArray(), ours.AsSpan(0, oursLength).ToArray());
    }
}
