using System.Runtime.InteropServices;
using Urb.Domain.Content;

namespace Urb.Agent.Backup;

/// <summary>
/// One reading worker's zstd compression context, freed when the backup ends. <see cref="Zstd"/>
/// keeps one context per thread for the life of the process, and an upload's continuation runs
/// on whichever pool thread is free: a backup left a context (over a MiB at level 3) on each of
/// the pool's threads. With one per worker there are as many as workers, whatever the threads.
/// Without the system's libzstd it falls back to <see cref="Zstd.Compress"/> (the managed port).
/// </summary>
/// <remarks>
/// DllImport with blittable arguments, as in the walk's syscalls (the agent builds without
/// unsafe code); the library is the one <see cref="Zstd"/> loads when it uses the native one.
/// </remarks>
public sealed class WorkerCompressor : IDisposable
{
    private const string Library = "libzstd.so.1";

    private static readonly bool IsNative = Zstd.IsNative && NativeLibrary.TryLoad(Library, out _);

    private nint context = IsNative ? ZSTD_createCCtx() : 0;

    /// <summary>As <see cref="Zstd.Compress"/>: one frame into <paramref name="destination"/> (at least <see cref="Zstd.CompressBound"/> long).</summary>
    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        if (!IsNative) return Zstd.Compress(source, destination, level);
        ObjectDisposedException.ThrowIf(context == 0, this);
        var result = ZSTD_compressCCtx(
            context, ref MemoryMarshal.GetReference(destination), (nuint)destination.Length,
            in MemoryMarshal.GetReference(source), (nuint)source.Length, level);
        return ZSTD_isError(result) != 0 ? throw new InvalidOperationException("zstd compression failed (destination too small?)") : (int)result;
    }

    public void Dispose()
    {
        if (context == 0) return;
        _ = ZSTD_freeCCtx(context);
        context = 0;
    }

    [DllImport(Library)]
    private static extern nint ZSTD_createCCtx();

    [DllImport(Library)]
    private static extern nuint ZSTD_freeCCtx(nint context);

    [DllImport(Library)]
    private static extern nuint ZSTD_compressCCtx(nint context, ref byte destination, nuint capacity, in byte source, nuint length, int level);

    [DllImport(Library)]
    private static extern uint ZSTD_isError(nuint code);
}
