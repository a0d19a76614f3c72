using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Urb.Domain.Content;

/// <summary>
/// A zstd dictionary trained on a client's small files: most files of a tree are a few KiB, and
/// each is one chunk compressed alone, where a dictionary of what such files share saves about a
/// fifth (docs/architecture.md, "Compression dictionaries"). Its ID is in every frame compressed
/// with it, so a frame says which dictionary it needs. Prepared native dictionaries are freed with
/// the object (by the finalizer), never while a call that uses them runs.
/// </summary>
public sealed class ZstdDict
{
    /// <summary>zstd leaves IDs below 2^15 to dictionaries registered for public use.</summary>
    public const uint FirstId = 32768;

    /// <summary>IDs from 2^31 up are reserved by zstd.</summary>
    public const uint LastId = int.MaxValue;

    /// <summary>The largest dictionary taken (a trained one is 256 KiB at most).</summary>
    public const int MaxBytes = 1 << 20;

    private const uint Magic = 0xEC30A437;

    /// <summary>Per level; lazy, so that two threads asking at once prepare (and later free) one.</summary>
    private readonly ConcurrentDictionary<int, Lazy<nint>> compressionHandles = new();
    private readonly Lazy<nint> decompressionHandle;

    private ZstdDict(byte[] content, uint id)
    {
        Content = content;
        Id = id;
        decompressionHandle = new Lazy<nint>(() => Prepare(() => Zstd.Library!.CreateDecompressionDictionary(Content.Span)));
    }

    ~ZstdDict()
    {
        if (Zstd.Library is not { } native) return;
        foreach (var handle in compressionHandles.Values.Where(h => h.IsValueCreated && h.Value != 0)) native.FreeCompressionDictionary(handle.Value);
        if (decompressionHandle.IsValueCreated && decompressionHandle.Value != 0) native.FreeDecompressionDictionary(decompressionHandle.Value);
    }

    public uint Id { get; }

    /// <summary>The dictionary as stored: zstd's dictionary format, its ID in bytes 4–7.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>
    /// A dictionary from its stored content; <see cref="InvalidDataException"/> when it is not a
    /// zstd dictionary with an ID in our range, or zstd cannot take it.
    /// </summary>
    public static ZstdDict Load(ReadOnlySpan<byte> content)
    {
        if (content.Length < 8 || content.Length > MaxBytes || BinaryPrimitives.ReadUInt32LittleEndian(content) != Magic)
        {
            throw new InvalidDataException($"not a zstd dictionary of at most {MaxBytes} bytes");
        }
        var id = BinaryPrimitives.ReadUInt32LittleEndian(content[4..]);
        if (id is < FirstId or > LastId) throw new InvalidDataException($"dictionary ID {id} is outside {FirstId}–{LastId}");
        var dictionary = new ZstdDict(content.ToArray(), id);
        if (Zstd.Library is not null)
        {
            _ = dictionary.DecompressionHandle;
        }
        else
        {
            try
            {
                using var decompressor = new ZstdSharp.Decompressor();
                decompressor.LoadDictionary(content);
            }
            catch (ZstdSharp.ZstdException e)
            {
                throw new InvalidDataException($"zstd does not take the dictionary: {e.Message}");
            }
        }
        return dictionary;
    }

    /// <summary>
    /// Trains a dictionary of at most <paramref name="capacity"/> bytes on samples (whole small
    /// files) and gives it <paramref name="id"/>; null when the samples are too few or too alike
    /// to make one (zstd's trainer wants about a hundred times the capacity in samples).
    /// </summary>
    public static ZstdDict? Train(IReadOnlyList<ReadOnlyMemory<byte>> samples, int capacity, uint id)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(id, FirstId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, LastId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxBytes);
        if (samples.Count < 8) return null;
        byte[] content;
        if (Zstd.Library is { } native)
        {
            var joined = new byte[samples.Sum(s => (long)s.Length)];
            var sizes = new nuint[samples.Count];
            var at = 0;
            for (var i = 0; i < samples.Count; i++)
            {
                samples[i].Span.CopyTo(joined.AsSpan(at));
                at += samples[i].Length;
                sizes[i] = (nuint)samples[i].Length;
            }
            var buffer = new byte[capacity];
            if (native.Train(buffer, joined, sizes) is not { } length) return null;
            content = buffer.AsSpan(0, length).ToArray();
        }
        else
        {
            try
            {
                content = ZstdSharp.DictBuilder.TrainFromBuffer(samples.Select(s => s.ToArray()), capacity).ToArray();
            }
            catch (ZstdSharp.ZstdException)
            {
                return null;
            }
        }
        if (content.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(content) != Magic) return null;
        BinaryPrimitives.WriteUInt32LittleEndian(content.AsSpan(4), id);
        return Load(content);
    }

    /// <summary>libzstd's prepared dictionary for compression at a level (native library only).</summary>
    internal nint CompressionHandle(int level) =>
        compressionHandles.GetOrAdd(level, l => new Lazy<nint>(() => Prepare(() => Zstd.Library!.CreateCompressionDictionary(Content.Span, l)))).Value;

    /// <summary>libzstd's prepared dictionary for decompression (native library only).</summary>
    internal nint DecompressionHandle => decompressionHandle.Value;

    private static nint Prepare(Func<nint> create)
    {
        var handle = create();
        return handle != 0 ? handle : throw new InvalidDataException("zstd does not take the dictionary");
    }
}
