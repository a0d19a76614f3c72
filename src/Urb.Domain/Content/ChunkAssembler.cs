using Urb.Domain.Errors;

namespace Urb.Domain.Content;

/// <summary>
/// Puts chunks back together from the frames of a stream (at most <see cref="ChunkLimits.MaxFrameBytes"/>
/// each), checking every limit. The first frame of a chunk carries its ID and what the sender says
/// about it (<typeparamref name="TInfo"/>: compressed, a tree, ...); the last has end-of-chunk set.
/// </summary>
public sealed class ChunkAssembler<TInfo>(string fieldPrefix)
{
    private byte[]? chunkId;
    private TInfo info = default!;
    private byte[] buffer = [];
    private int length;

    /// <summary>Adds a frame; returns the chunk when the frame ends one. A one-frame chunk (the
    /// common case) is the frame's own memory, without a copy; a longer one is a new array.</summary>
    public AssembledChunk<TInfo>? Add(ReadOnlySpan<byte> id, ReadOnlyMemory<byte> data, bool endOfChunk, TInfo firstFrameInfo)
    {
        if (chunkId is null)
        {
            if (id.Length != ChunkId.Size)
            {
                throw new InvalidInputException($"{fieldPrefix}.id", $"The first frame of a chunk carries its {ChunkId.Size}-byte ID; got {id.Length} bytes.");
            }
            if (endOfChunk && data.Length <= ChunkLimits.MaxFrameBytes)
            {
                return new AssembledChunk<TInfo>(id.ToArray(), data, firstFrameInfo);
            }
            chunkId = id.ToArray();
            info = firstFrameInfo;
            length = 0;
        }
        else if (!id.IsEmpty && !id.SequenceEqual(chunkId))
        {
            throw new InvalidInputException($"{fieldPrefix}.id", "A frame names another chunk before the current one ended.");
        }
        if (data.Length > ChunkLimits.MaxFrameBytes)
        {
            throw new InvalidInputException($"{fieldPrefix}.data", $"A frame carries at most {ChunkLimits.MaxFrameBytes} bytes.");
        }
        if (length + data.Length > ChunkLimits.MaxChunkBytes)
        {
            throw new InvalidInputException($"{fieldPrefix}.data", $"A chunk may hold at most {ChunkLimits.MaxChunkBytes} bytes.");
        }
        if (buffer.Length < length + data.Length)
        {
            Array.Resize(ref buffer, Math.Max(length + data.Length, Math.Min(buffer.Length * 2, ChunkLimits.MaxChunkBytes)));
        }
        data.Span.CopyTo(buffer.AsSpan(length));
        length += data.Length;
        if (!endOfChunk) return null;

        var done = new AssembledChunk<TInfo>(chunkId, buffer.AsMemory(0, length).ToArray(), info);
        chunkId = null;
        return done;
    }

    /// <summary>Fails when the stream ended inside a chunk.</summary>
    public void EnsureComplete()
    {
        if (chunkId is not null)
        {
            throw new InvalidInputException($"{fieldPrefix}.end_of_chunk", $"The stream ended inside chunk {ChunkId.ToHex(chunkId)}.");
        }
    }
}

/// <summary>A whole chunk as received: its ID, its bytes as sent (maybe compressed) and what the sender said about it.</summary>
public readonly record struct AssembledChunk<TInfo>(byte[] Id, ReadOnlyMemory<byte> Data, TInfo Info);
