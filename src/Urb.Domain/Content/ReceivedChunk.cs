using System.Buffers;
using Urb.Domain.Errors;

namespace Urb.Domain.Content;

/// <summary>What every receiver of chunks from a less trusted sender does first.</summary>
public static class ReceivedChunk
{
    /// <summary>
    /// Decompresses a zstd frame from a sender into a pooled buffer (the caller returns it to
    /// <see cref="ArrayPool{T}.Shared"/>), within the chunk size limit; a frame that does not
    /// state its size, states too much, is damaged or needs another dictionary than
    /// <paramref name="dictionary"/> is <see cref="InvalidInputException"/>.
    /// </summary>
    public static byte[] DecompressToRented(ReadOnlySpan<byte> frame, string field, out int length, ZstdDict? dictionary = null)
    {
        var size = Zstd.ContentSize(frame)
            ?? throw new InvalidInputException(field, "The compressed chunk is not a zstd frame that states its content size.");
        if (size > ChunkLimits.MaxChunkBytes)
        {
            throw new InvalidInputException(field, $"A chunk may hold at most {ChunkLimits.MaxChunkBytes} bytes; this one says {size}.");
        }
        length = (int)size;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            Zstd.DecompressExactly(frame, buffer.AsSpan(0, length), dictionary);
            return buffer;
        }
        catch (InvalidDataException e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new InvalidInputException(field, $"The compressed chunk is damaged: {e.Message}");
        }
    }
}
