using System.Buffers;
using System.Runtime.CompilerServices;

namespace Urb.Domain.Content.Chunking;

/// <summary>
/// Cuts a <see cref="Stream"/> into the same chunks <see cref="ContentDefinedChunker.NextCut"/>
/// finds in the whole content, reading through one pooled buffer of four times MaxSize and
/// allocating nothing per chunk.
/// </summary>
/// <remarks>
/// Contract: each chunk is a slice of the pooled buffer. It is valid only until the callback
/// returns, or until the enumerator moves on or is disposed; a caller that keeps a chunk longer
/// (queues it, hands it to another thread) copies it first. The buffer goes back to
/// <see cref="ArrayPool{T}.Shared"/> when the enumeration ends or is disposed. The stream is
/// read to its end and not disposed.
/// </remarks>
public static class StreamChunker
{
    /// <summary>Calls <paramref name="onChunk"/> with each chunk in order and waits for it before reading on.</summary>
    public static async Task ChunkAsync(
        Stream source,
        ContentDefinedChunker chunker,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onChunk,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChunk);
        await foreach (var chunk in ReadChunksAsync(source, chunker, cancellationToken).ConfigureAwait(false))
        {
            await onChunk(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The chunks in order; each is valid until the next one is asked for.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadChunksAsync(
        Stream source,
        ContentDefinedChunker chunker,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(chunker);
        var maxSize = chunker.Parameters.MaxSize;
        // Four times MaxSize: the unconsumed tail (< MaxSize) is moved to the front only after
        // at least three MaxSize of chunks, so the copying costs at most a third of a pass.
        var buffer = ArrayPool<byte>.Shared.Rent(4 * maxSize);
        try
        {
            var start = 0;
            var end = 0;
            var atEnd = false;
            while (true)
            {
                // NextCut needs MaxSize bytes, or everything that is left, to cut where it would
                // in the whole content.
                while (!atEnd && end - start < maxSize)
                {
                    if (start + maxSize > buffer.Length)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    var read = await source.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                    if (read == 0) atEnd = true;
                    end += read;
                }
                if (start == end) yield break;
                var cut = chunker.NextCut(buffer.AsSpan(start, end - start));
                yield return buffer.AsMemory(start, cut);
                start += cut;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
