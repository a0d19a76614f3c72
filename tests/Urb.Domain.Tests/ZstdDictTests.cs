using System.Security.Cryptography;
using System.Text;
using Urb.Domain.Content;

namespace Urb.Domain.Tests;

public sealed class ZstdDictTests
{
    private const uint Id = ZstdDict.FirstId + 7;

    [Fact]
    public void Train_SmallFilesThatShareText_FramesNameTheDictionaryRoundTripAndAreSmaller()
    {
        var files = SourceFiles(600, seed: 1);
        var dictionary = ZstdDict.Train(files.Take(300).Select(f => (ReadOnlyMemory<byte>)f).ToList(), 16 * 1024, Id);

        Assert.NotNull(dictionary);
        Assert.Equal(Id, dictionary.Id);
        long plain = 0, withDictionary = 0;
        foreach (var file in files.Skip(300))
        {
            var frame = new byte[Zstd.CompressBound(file.Length)];
            var written = Zstd.Compress(file, frame, 3, dictionary);
            Assert.Equal(Id, ZstdFrame.DictionaryId(frame.AsSpan(0, written)));
            var back = new byte[file.Length];
            Zstd.DecompressExactly(frame.AsSpan(0, written), back, dictionary);
            Assert.Equal(file, back);
            withDictionary += written;
            plain += Zstd.Compress(file, frame, 3);
        }
        Assert.True(withDictionary < plain * 0.8, $"{withDictionary} bytes with the dictionary against {plain} without");
    }

    [Fact]
    public void Compress_WithTheDictionary_IsTheFrameTheManagedPortReads()
    {
        var files = SourceFiles(300, seed: 2);
        var dictionary = ZstdDict.Train(files.Select(f => (ReadOnlyMemory<byte>)f).ToList(), 16 * 1024, Id)!;
        using var compressor = new ZstdCompressor();
        var frame = new byte[Zstd.CompressBound(files[0].Length)];

        var written = compressor.Compress(files[0], frame, 3, dictionary);

        using var managed = new ZstdSharp.Decompressor();
        managed.LoadDictionary(dictionary.Content.Span);
        Assert.Equal(files[0], managed.Unwrap(frame.AsSpan(0, written)).ToArray());
    }

    [Fact]
    public void DecompressExactly_WithoutOrWithAnotherDictionary_ThrowsInvalidData()
    {
        var files = SourceFiles(300, seed: 3);
        var samples = files.Select(f => (ReadOnlyMemory<byte>)f).ToList();
        var dictionary = ZstdDict.Train(samples, 16 * 1024, Id)!;
        var other = ZstdDict.Train(samples, 16 * 1024, Id + 1)!;
        var frame = new byte[Zstd.CompressBound(files[0].Length)];
        var written = Zstd.Compress(files[0], frame, 3, dictionary);
        var plainFrame = new byte[Zstd.CompressBound(files[0].Length)];
        var plainWritten = Zstd.Compress(files[0], plainFrame, 3);
        var back = new byte[files[0].Length];

        Assert.Contains("needs dictionary", Assert.Throws<InvalidDataException>(() => Zstd.DecompressExactly(frame.AsSpan(0, written), back)).Message);
        Assert.Throws<InvalidDataException>(() => Zstd.DecompressExactly(frame.AsSpan(0, written), back, other));
        Assert.Throws<InvalidDataException>(() => Zstd.DecompressExactly(plainFrame.AsSpan(0, plainWritten), back, dictionary));
    }

    [Fact]
    public void Load_StoredContent_IsTheSameDictionary()
    {
        var dictionary = ZstdDict.Train(SourceFiles(300, seed: 4).Select(f => (ReadOnlyMemory<byte>)f).ToList(), 16 * 1024, Id)!;

        var loaded = ZstdDict.Load(dictionary.Content.Span);

        Assert.Equal(Id, loaded.Id);
        Assert.Equal(dictionary.Content.ToArray(), loaded.Content.ToArray());
    }

    [Fact]
    public void Load_NotADictionaryOrAnIdOutOfRange_ThrowsInvalidData()
    {
        var dictionary = ZstdDict.Train(SourceFiles(300, seed: 5).Select(f => (ReadOnlyMemory<byte>)f).ToList(), 16 * 1024, Id)!;
        var lowId = dictionary.Content.ToArray();
        lowId[4] = 1; lowId[5] = 0; lowId[6] = 0; lowId[7] = 0;
        var damaged = dictionary.Content.ToArray();
        Array.Fill(damaged, (byte)0xFF, 8, 64);

        Assert.Throws<InvalidDataException>(() => ZstdDict.Load(RandomNumberGenerator.GetBytes(1000)));
        Assert.Throws<InvalidDataException>(() => ZstdDict.Load([]));
        Assert.Contains("outside", Assert.Throws<InvalidDataException>(() => ZstdDict.Load(lowId)).Message);
        Assert.Throws<InvalidDataException>(() => ZstdDict.Load(damaged));
    }

    [Fact]
    public void Train_TooFewSamples_IsNull() =>
        Assert.Null(ZstdDict.Train(SourceFiles(3, seed: 6).Select(f => (ReadOnlyMemory<byte>)f).ToList(), 16 * 1024, Id));

    [Fact]
    public void DictionaryId_FrameWithoutOneOrNotAFrame_IsZero()
    {
        var data = SourceFiles(1, seed: 7)[0];
        var frame = new byte[Zstd.CompressBound(data.Length)];
        var written = Zstd.Compress(data, frame, 3);

        Assert.Equal(0u, ZstdFrame.DictionaryId(frame.AsSpan(0, written)));
        Assert.Equal(0u, ZstdFrame.DictionaryId(RandomNumberGenerator.GetBytes(64)));
        Assert.Equal(0u, ZstdFrame.DictionaryId([0x28, 0xB5, 0x2F]));
    }

    /// <summary>Small text files in the manner of a source tree: a shared header, common words, each file its own.</summary>
    private static List<byte[]> SourceFiles(int count, int seed)
    {
        var random = new Random(seed);
        string[] words = ["public", "static", "return", "namespace", "include", "define", "struct", "const", "value", "buffer",
            "length", "import", "self", "def", "class", "module", "function", "while", "for", "if", "else", "null", "true", "false"];
        var files = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder("/* Copyright the authors. Licensed under the terms in the accompanying LICENSE file. */\n");
            var lines = random.Next(40, 160);
            for (var line = 0; line < lines; line++)
            {
                text.Append(' ', 4 * random.Next(0, 3));
                for (var w = random.Next(3, 9); w > 0; w--) text.Append(words[random.Next(words.Length)]).Append(' ');
                text.Append(random.Next(100_000)).Append(";\n");
            }
            files.Add(Encoding.UTF8.GetBytes(text.ToString()));
        }
        return files;
    }
}
