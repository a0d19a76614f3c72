namespace Urb.Domain.Content;

/// <summary>
/// A zstd compression context of its own, freed on dispose. <see cref="Zstd.Compress"/> keeps one
/// context per thread for the life of the process, and an async continuation runs on whichever
/// pool thread is free: a backup left a context (over a MiB at level 3) on each of the pool's
/// threads. A worker that owns one of these keeps as many as there are workers. Without the
/// system's libzstd it falls back to <see cref="Zstd.Compress"/> (the managed port).
/// </summary>
public sealed class ZstdCompressor : IDisposable
{
    private nint context = Zstd.Library?.CreateCompressionContext() ?? 0;

    /// <summary>As <see cref="Zstd.Compress"/>: one frame into <paramref name="destination"/> (at least <see cref="Zstd.CompressBound"/> long).</summary>
    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level, ZstdDict? dictionary = null)
    {
        if (Zstd.Library is not { } native) return Zstd.Compress(source, destination, level, dictionary);
        ObjectDisposedException.ThrowIf(context == 0, this);
        return native.Compress(context, source, destination, level, dictionary);
    }

    public void Dispose()
    {
        if (context == 0) return;
        Zstd.Library!.FreeCompressionContext(context);
        context = 0;
    }
}
