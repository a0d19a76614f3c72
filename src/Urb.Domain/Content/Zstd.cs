using System.Runtime.InteropServices;

namespace Urb.Domain.Content;

/// <summary>
/// zstd, one frame per chunk. Uses the system's libzstd (libzstd1, present on every Debian
/// system) when it can be loaded, with one context per thread; otherwise the managed port.
/// Measured on the benchmark data at level 1: see docs/architecture.md ("Compression").
/// </summary>
public static unsafe class Zstd
{
    private static readonly Native? Library = Native.TryLoad();

    /// <summary>True when the native library is used (reported by the services at start).</summary>
    public static bool IsNative => Library is not null;

    public static int CompressBound(int length) => length + (length >> 8) + 64;

    /// <summary>Compresses into <paramref name="destination"/> (at least <see cref="CompressBound"/> long); returns the frame's length.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        if (Library is { } native) return native.Compress(source, destination, level);
        using var compressor = new ZstdSharp.Compressor(level);
        return compressor.Wrap(source, destination);
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

    /// <summary>Decompresses a frame into exactly <paramref name="destination"/>; <see cref="InvalidDataException"/> when it is damaged or of another size.</summary>
    public static void DecompressExactly(ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        int written;
        if (Library is { } native)
        {
            written = native.Decompress(frame, destination);
        }
        else
        {
            try
            {
                using var decompressor = new ZstdSharp.Decompressor();
                written = decompressor.Unwrap(frame, destination);
            }
            catch (ZstdSharp.ZstdException e)
            {
                throw new InvalidDataException($"damaged zstd frame: {e.Message}");
            }
        }
        if (written != destination.Length) throw new InvalidDataException($"the zstd frame holds {written} bytes, not {destination.Length}");
    }

    private sealed class Native
    {
        private const ulong ContentSizeUnknown = unchecked((ulong)-1);
        private const ulong ContentSizeError = unchecked((ulong)-2);

        [ThreadStatic] private static nint compressionContext;
        [ThreadStatic] private static nint decompressionContext;

        private readonly delegate* unmanaged<nint> createCompressionContext;
        private readonly delegate* unmanaged<nint> createDecompressionContext;
        private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, int, nuint> compress;
        private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> decompress;
        private readonly delegate* unmanaged<byte*, nuint, ulong> frameContentSize;
        private readonly delegate* unmanaged<nuint, uint> isError;

        private Native(nint library)
        {
            createCompressionContext = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "ZSTD_createCCtx");
            createDecompressionContext = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "ZSTD_createDCtx");
            compress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, int, nuint>)NativeLibrary.GetExport(library, "ZSTD_compressCCtx");
            decompress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)NativeLibrary.GetExport(library, "ZSTD_decompressDCtx");
            frameContentSize = (delegate* unmanaged<byte*, nuint, ulong>)NativeLibrary.GetExport(library, "ZSTD_getFrameContentSize");
            isError = (delegate* unmanaged<nuint, uint>)NativeLibrary.GetExport(library, "ZSTD_isError");
        }

        public static Native? TryLoad()
        {
            if (Environment.GetEnvironmentVariable("URB_ZSTD_MANAGED") == "1") return null;
            foreach (var name in (ReadOnlySpan<string>)["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd"])
            {
                if (NativeLibrary.TryLoad(name, out var library))
                {
                    try
                    {
                        return new Native(library);
                    }
                    catch (EntryPointNotFoundException)
                    {
                        return null;
                    }
                }
            }
            return null;
        }

        public int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
        {
            if (compressionContext == 0) compressionContext = createCompressionContext();
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            {
                var result = compress(compressionContext, dst, (nuint)destination.Length, src, (nuint)source.Length, level);
                return isError(result) != 0 ? throw new InvalidOperationException("zstd compression failed (destination too small?)") : (int)result;
            }
        }

        public int Decompress(ReadOnlySpan<byte> frame, Span<byte> destination)
        {
            if (decompressionContext == 0) decompressionContext = createDecompressionContext();
            fixed (byte* src = frame)
            fixed (byte* dst = destination)
            {
                var result = decompress(decompressionContext, dst, (nuint)destination.Length, src, (nuint)frame.Length);
                return isError(result) != 0 ? throw new InvalidDataException("damaged zstd frame") : (int)result;
            }
        }

        public long? ContentSize(ReadOnlySpan<byte> frame)
        {
            fixed (byte* src = frame)
            {
                var size = frameContentSize(src, (nuint)frame.Length);
                return size is ContentSizeUnknown or ContentSizeError || size > long.MaxValue ? null : (long)size;
            }
        }
    }
}
