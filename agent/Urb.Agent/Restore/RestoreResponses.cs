using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.Agent.Restore;

/// <summary>
/// Reads a restore's responses and hands out its entries and each file's plaintext in order.
/// Content that comes as stored chunks (<see cref="RestoreRequest.AsChunks"/>) is decompressed and
/// checked against the chunk IDs of the file's node on the thread pool, several chunks ahead of
/// the caller, so receiving, decoding and writing overlap on the machine's cores. A chunk that
/// does not match its ID stops the restore with <see cref="DataLossException"/> before any of its
/// bytes are handed out. Plaintext pieces (a server that sends <c>data</c>) pass as they come.
/// </summary>
/// <remarks>
/// <code>
/// var call = client.Restore(new RestoreRequest { Backup = "latest", AsChunks = true });
/// await foreach (var item in RestoreResponses.ReadAsync(call.ResponseStream, cancellationToken))
/// {
///     if (item.Entry is { } entry) writer.BeginEntry(entry.Path, entry.Node);
///     else writer.Write(item.Content.Span);   // valid until the next item is asked for
/// }
/// </code>
/// </remarks>
public static class RestoreResponses
{
    /// <summary>
    /// Items (entries and chunks) decoded or being decoded ahead of the caller. With chunks of
    /// about 1 MiB that bounds the pipeline's memory to a few tens of MiB.
    /// </summary>
    private const int ReadAhead = 16;

    public static async IAsyncEnumerable<RestoreItem> ReadAsync(
        IAsyncStreamReader<RestoreResponse> responses, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = Channel.CreateBounded<Task<DecodedItem>>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(responses, pending.Writer, stop.Token), stop.Token);
        DecodedItem? handedOut = null;
        try
        {
            await foreach (var next in pending.Reader.ReadAllAsync(cancellationToken))
            {
                handedOut?.Release();
                handedOut = await next;
                yield return handedOut.Item;
            }
        }
        finally
        {
            handedOut?.Release();
            await stop.CancelAsync();
            // Decoded chunks nobody took are left to the garbage collector; the producer ends on the cancellation.
            await producer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task ProduceAsync(IAsyncStreamReader<RestoreResponse> responses, ChannelWriter<Task<DecodedItem>> pending, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var file = new FileChunks();
            while (await responses.MoveNext(cancellationToken))
            {
                var response = responses.Current;
                switch (response.KindCase)
                {
                    case RestoreResponse.KindOneofCase.Entry:
                        file.Begin(response.Entry);
                        await pending.WriteAsync(Task.FromResult(new DecodedItem(new RestoreItem(response.Entry, default), null)), cancellationToken);
                        break;
                    case RestoreResponse.KindOneofCase.Data:
                        await pending.WriteAsync(Task.FromResult(new DecodedItem(new RestoreItem(null, response.Data.Memory), null)), cancellationToken);
                        break;
                    case RestoreResponse.KindOneofCase.Chunk:
                        if (file.Add(response.Chunk) is { } chunk)
                        {
                            await pending.WriteAsync(Task.Run(() => Decode(chunk), cancellationToken), cancellationToken);
                        }
                        break;
                    default:
                        throw new InvalidInputException("kind", "The restore stream sent a message this agent does not know; update the agent.");
                }
            }
            file.End();
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            pending.TryComplete(failure);
        }
    }

    private static DecodedItem Decode(ChunkToDecode chunk)
    {
        byte[]? rented = null;
        var plaintext = chunk.Data;
        if (chunk.Compressed)
        {
            rented = ReceivedChunk.DecompressToRented(chunk.Data.Span, "chunk.data", out var length);
            plaintext = rented.AsMemory(0, length);
        }
        if (!ChunkId.Matches(chunk.IdKey, plaintext.Span, chunk.Id))
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            throw new DataLossException(
                $"'{chunk.Path}': chunk {ChunkId.ToHex(chunk.Id)} does not match its ID (damaged on the way or in the repository); the restore stopped.");
        }
        return new DecodedItem(new RestoreItem(null, plaintext), rented);
    }

    /// <summary>Which chunk of the current file comes next, and the pieces of the one arriving.</summary>
    private sealed class FileChunks
    {
        private readonly ChunkAssembler<bool> _assembler = new("chunk");
        private byte[]? _idKey;
        private List<byte[]> _ids = [];
        private int _next;
        private string _path = "";

        public void Begin(RestoreEntry entry)
        {
            End();
            if (!entry.ChunkIdKey.IsEmpty) _idKey = entry.ChunkIdKey.ToByteArray();
            _ids = entry.Node.ChunkIds.IsEmpty ? [] : ChunkId.Unpack(entry.Node.ChunkIds.Memory);
            _next = 0;
            _path = entry.Path;
        }

        public ChunkToDecode? Add(RestoreChunk piece)
        {
            if (_idKey is null) throw new InvalidInputException("chunk", "The server sent chunks without the key to check them against.");
            if (_next >= _ids.Count) throw new InvalidInputException("chunk", $"'{_path}': more chunks than its entry names ({_ids.Count}).");
            var whole = _assembler.Add(_ids[_next], piece.Data.Memory, piece.EndOfChunk, piece.Compressed);
            if (whole is not { } chunk) return null;
            _next++;
            return new ChunkToDecode(_path, chunk.Id, chunk.Data, chunk.Info, _idKey);
        }

        /// <summary>A chunk cut off by the next entry or the end; too few chunks show as a file short of its size.</summary>
        public void End() => _assembler.EnsureComplete();
    }

    private sealed record ChunkToDecode(string Path, byte[] Id, ReadOnlyMemory<byte> Data, bool Compressed, byte[] IdKey);

    /// <summary>An item, and the pooled buffer its content lives in until the caller moves on.</summary>
    private sealed record DecodedItem(RestoreItem Item, byte[]? Rented)
    {
        public void Release()
        {
            if (Rented is not null) ArrayPool<byte>.Shared.Return(Rented);
        }
    }
}

/// <summary>The next entry of a restore (<see cref="Entry"/> set), or the next piece of the current file's plaintext.</summary>
public readonly record struct RestoreItem(RestoreEntry? Entry, ReadOnlyMemory<byte> Content);
