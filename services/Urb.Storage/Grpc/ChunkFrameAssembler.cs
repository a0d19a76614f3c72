using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.Storage.Grpc;

/// <summary>Puts chunks back together from the frames of a WriteChunks stream, checking every limit.</summary>
internal sealed class ChunkFrameAssembler
{
    private byte[]? chunkId;
    private bool compressed;
    private byte[] buffer = [];
    private int length;

    /// <summary>Adds a frame; returns the chunk when the frame ends one.</summary>
    public (byte[] ChunkId, ReadOnlyMemory<byte> Data, bool Compressed)? Add(ChunkFrame frame)
    {
        if (chunkId is null)
        {
            if (frame.ChunkId.Length != ChunkId.Size)
            {
                throw new InvalidInputException("frame.chunk_id", $"The first frame of a chunk carries its {ChunkId.Size}-byte ID; got {frame.ChunkId.Length} bytes.");
            }
            if (frame.EndOfChunk && frame.Data.Length <= ChunkLimits.MaxFrameBytes)
            {
                // A chunk in one frame (the common case) is used where it lies: no copy.
                return (frame.ChunkId.ToByteArray(), frame.Data.Memory, frame.Compressed);
            }
            chunkId = frame.ChunkId.ToByteArray();
            compressed = frame.Compressed;
            length = 0;
        }
        else if (!frame.ChunkId.IsEmpty && !frame.ChunkId.Span.SequenceEqual(chunkId))
        {
            throw new InvalidInputException("frame.chunk_id", "A frame names another chunk before the current one ended.");
        }
        if (frame.Data.Length > ChunkLimits.MaxFrameBytes)
        {
            throw new InvalidInputException("frame.data", $"A frame carries at most {ChunkLimits.MaxFrameBytes} bytes.");
        }
        if (length + frame.Data.Length > ChunkLimits.MaxChunkBytes)
        {
            throw new InvalidInputException("frame.data", $"A chunk may hold at most {ChunkLimits.MaxChunkBytes} bytes.");
        }
        if (buffer.Length < length + frame.Data.Length)
        {
            Array.Resize(ref buffer, Math.Max(length + frame.Data.Length, Math.Min(buffer.Length * 2, ChunkLimits.MaxChunkBytes)));
        }
        frame.Data.Span.CopyTo(buffer.AsSpan(length));
        length += frame.Data.Length;
        if (!frame.EndOfChunk) return null;

        var done = (chunkId, (ReadOnlyMemory<byte>)buffer.AsMemory(0, length).ToArray(), compressed);
        chunkId = null;
        return done;
    }

    public void EnsureComplete()
    {
        if (chunkId is not null)
        {
            throw new InvalidInputException("frame.end_of_chunk", $"The stream ended inside chunk {ChunkId.ToHex(chunkId)}.");
        }
    }
}
