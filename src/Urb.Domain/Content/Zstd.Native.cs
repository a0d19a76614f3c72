using System.Runtime.InteropServices;

namespace Urb.Domain.Content;

public static unsafe partial class Zstd
{
    /// <summary>The system's libzstd through function pointers (the same code in the Native AOT agent and the services).</summary>
    internal sealed class Native
    {
        private const ulong ContentSizeUnknown = unchecked((ulong)-1);
        private const ulong ContentSizeError = unchecked((ulong)-2);

        [ThreadStatic] private static nint compressionContext;
        [ThreadStatic] private static nint decompressionContext;

        private readonly delegate* unmanaged<nint> createCompressionContext;
        private readonly delegate* unmanaged<nint, nuint> freeCompressionContext;
        private readonly delegate* unmanaged<nint> createDecompressionContext;
        private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, int, nuint> compress;
        private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> decompress;
        private readonly delegate* unmanaged<byte*, nuint, ulong> frameContentSize;
        private readonly delegate* unmanaged<nuint, uint> isError;
        private readonly delegate* unmanaged<byte*, nuint, int, nint> createCompressionDictionary;
        private readonly delegate* unmanaged<nint, nuint> freeCompressionDictionary;
        private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nint, nuint> compressWithDictionary;
        private readonly delegate* unmanaged<byte*, nuint, nint> createDecompressionDictionary;
        private readonly delegate* unmanaged<nint, nuint> freeDecompressionDictionary;
        private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nint, nuint> decompressWithDictionary;
        private readonly delegate* unmanaged<byte*, nuint, byte*, nuint*, uint, nuint> trainDictionary;
        private readonly delegate* unmanaged<nuint, uint> isTrainingError;

        private Native(nint library)
        {
            createCompressionContext = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "ZSTD_createCCtx");
            freeCompressionContext = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(library, "ZSTD_freeCCtx");
            createDecompressionContext = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "ZSTD_createDCtx");
            compress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, int, nuint>)NativeLibrary.GetExport(library, "ZSTD_compressCCtx");
            decompress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)NativeLibrary.GetExport(library, "ZSTD_decompressDCtx");
            frameContentSize = (delegate* unmanaged<byte*, nuint, ulong>)NativeLibrary.GetExport(library, "ZSTD_getFrameContentSize");
            isError = (delegate* unmanaged<nuint, uint>)NativeLibrary.GetExport(library, "ZSTD_isError");
            createCompressionDictionary = (delegate* unmanaged<byte*, nuint, int, nint>)NativeLibrary.GetExport(library, "ZSTD_createCDict");
            freeCompressionDictionary = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(library, "ZSTD_freeCDict");
            compressWithDictionary = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nint, nuint>)NativeLibrary.GetExport(library, "ZSTD_compress_usingCDict");
            createDecompressionDictionary = (delegate* unmanaged<byte*, nuint, nint>)NativeLibrary.GetExport(library, "ZSTD_createDDict");
            freeDecompressionDictionary = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(library, "ZSTD_freeDDict");
            decompressWithDictionary = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nint, nuint>)NativeLibrary.GetExport(library, "ZSTD_decompress_usingDDict");
            trainDictionary = (delegate* unmanaged<byte*, nuint, byte*, nuint*, uint, nuint>)NativeLibrary.GetExport(library, "ZDICT_trainFromBuffer");
            isTrainingError = (delegate* unmanaged<nuint, uint>)NativeLibrary.GetExport(library, "ZDICT_isError");
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

        public nint CreateCompressionContext() => createCompressionContext();

        public void FreeCompressionContext(nint context) => _ = freeCompressionContext(context);

        /// <summary>One frame through <paramref name="context"/>, or this thread's context when it is 0.</summary>
        public int Compress(nint context, ReadOnlySpan<byte> source, Span<byte> destination, int level, ZstdDict? dictionary)
        {
            if (context == 0)
            {
                if (compressionContext == 0) compressionContext = createCompressionContext();
                context = compressionContext;
            }
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            {
                var result = dictionary is null
                    ? compress(context, dst, (nuint)destination.Length, src, (nuint)source.Length, level)
                    : compressWithDictionary(context, dst, (nuint)destination.Length, src, (nuint)source.Length, dictionary.CompressionHandle(level));
                GC.KeepAlive(dictionary);
                return isError(result) != 0 ? throw new InvalidOperationException("zstd compression failed (destination too small?)") : (int)result;
            }
        }

        public int Decompress(ReadOnlySpan<byte> frame, Span<byte> destination, ZstdDict? dictionary)
        {
            if (decompressionContext == 0) decompressionContext = createDecompressionContext();
            fixed (byte* src = frame)
            fixed (byte* dst = destination)
            {
                var result = dictionary is null
                    ? decompress(decompressionContext, dst, (nuint)destination.Length, src, (nuint)frame.Length)
                    : decompressWithDictionary(decompressionContext, dst, (nuint)destination.Length, src, (nuint)frame.Length, dictionary.DecompressionHandle);
                GC.KeepAlive(dictionary);
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

        /// <summary>A prepared dictionary for compression at a level (libzstd copies the content); 0 when the content is not one.</summary>
        public nint CreateCompressionDictionary(ReadOnlySpan<byte> content, int level)
        {
            fixed (byte* dict = content) return createCompressionDictionary(dict, (nuint)content.Length, level);
        }

        public void FreeCompressionDictionary(nint handle) => _ = freeCompressionDictionary(handle);

        /// <summary>A prepared dictionary for decompression (libzstd copies the content); 0 when the content is not one.</summary>
        public nint CreateDecompressionDictionary(ReadOnlySpan<byte> content)
        {
            fixed (byte* dict = content) return createDecompressionDictionary(dict, (nuint)content.Length);
        }

        public void FreeDecompressionDictionary(nint handle) => _ = freeDecompressionDictionary(handle);

        /// <summary>ZDICT's trainer over concatenated samples; the dictionary's length, or null when the samples do not make one.</summary>
        public int? Train(Span<byte> dictionary, ReadOnlySpan<byte> samples, ReadOnlySpan<nuint> sampleSizes)
        {
            fixed (byte* dict = dictionary)
            fixed (byte* all = samples)
            fixed (nuint* sizes = sampleSizes)
            {
                var result = trainDictionary(dict, (nuint)dictionary.Length, all, sizes, (uint)sampleSizes.Length);
                return isTrainingError(result) != 0 ? null : (int)result;
            }
        }
    }
}
