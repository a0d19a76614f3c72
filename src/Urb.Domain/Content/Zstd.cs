using System.Runtime.InteropServices;

namespace Urb.Domain.Content;

/// <summary>
/// zstd, one frame per chunk. Uses the system's libzstd (libzstd1, present on every Debian
/// system) when it can be loaded, with one context per thread; otherwise the managed port.
/// Measured on the benchmark data at level 1: see docs/architecture.md ("Compression").
/// A frame may name a <see cref="ZstdDict"/> (small objects, "Compression dictionaries");
/// decompressing it then takes that dictionary.
/// </summary>
public static unsafe partial class Zstd
{
    internal static readonly Native? Library = Native.TryLoad();

    /// <summary>True when the native library is used (reported by the services at start).</summary>
    public static bool IsNative => Library is not null;

    public static int CompressBound(int length) => length + (length >> 8) + 64;

    /// <summary>Compresses into <paramref name="destination"/> (at least <see cref="CompressBound"/> long); returns the frame's length.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level, ZstdDict? dictionary = null)
    {
        if (Library is { } native) return native.Compress(0, source, destination, level, dictionary);
        return CompressManaged(source, destination, level, dictionary);
    }

    /// <summary>The content size a frame declares, or null when it is not a frame that declares one.</summary>
    public static long? ContentSize(ReadOnlySpan<byte> frame)
    {
        if (Library is { } native) return native.ContentSize(frame);
        try
        {
            return (long)ZstdSharp.Decompressor.GetDecompressedSize(frame);
        }
        catch (ZstdSharp.ZstdException)
        {
            return null;
        }
    }

    /// <summary>
    /// Decompresses a frame into exactly <paramref name="destination"/>; <see cref="InvalidDataException"/>
    /// when it is damaged, of another size, or names a dictionary other than <paramref name="dictionary"/>.
    /// </summary>
    public static void DecompressExactly(ReadOnlySpan<byte> frame, Span<byte> destination, ZstdDict? dictionary = null)
    {
        var named = ZstdFrame.DictionaryId(frame);
        if (named != (dictionary?.Id ?? 0))
        {
            throw new InvalidDataException(named == 0
                ? "the zstd frame names no dictionary, yet one was given"
                : $"the zstd frame needs dictionary {named}, {(dictionary is null ? "none was given" : $"not {dictionary.Id}")}");
        }
        int written;
        if (Library is { } native)
        {
            written = native.Decompress(frame, destination, dictionary);
        }
        else
        {
            try
            {
                using var decompressor = new ZstdSharp.Decompressor();
                if (dictionary is not null) decompressor.LoadDictionary(dictionary.Content.Span);
                written = decompressor.Unwrap(frame, destination);
            }
            catch (ZstdSharp.ZstdException e)
            {
                throw new InvalidDataException($"damaged zstd frame: {e.Message}");
            }
        }
        if (written != destination.Length) throw new InvalidDataException($"the zstd frame holds {written} bytes, not {destination.Length}");
    }

    private static int CompressManaged(ReadOnlySpan<byte> source, Span<byte> destination, int level, ZstdDict? dictionary)
    {
        using var compressor = new ZstdSharp.Compressor(level);
        if (dictionary is not null) compressor.LoadDictionary(dictionary.Content.Span);
        return compressor.Wrap(source, destination);
    }
}
