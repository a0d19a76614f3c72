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
/// bytes are handed out. A chunk the server sends once for several places
/// (<see cref="RestoreRequest.ChunksOnce"/>) is kept (<see cref="KeptChunks"/>) and decoded again
/// at each of them. Plaintext pieces (a server that sends <c>data</c>) pass as they come.
/// </summary>
/// <remarks>
/// <code>
/// using var call = RestoreCall.Start(channel, new RestoreRequest { Backup = "latest", AsChunks = true }, cancellationToken);
/// await foreach (var item in RestoreResponses.ReadAsync(call.ResponseStream, stateDirectory, cancellationToken))
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

    /// <param name="spillDirectory">Where kept chunks over <see cref="KeptChunks.MemoryBudgetBytes"/> go for the restore's duration.</param>
    public static async IAsyncEnumerable<RestoreItem> ReadAsync(
        IAsyncStreamReader<RestoreMessage> responses, string spillDirectory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = Channel.CreateBounded<Task<DecodedItem>>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(responses, spillDirectory, pending.Writer, stop.Token), stop.Token);
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
            // Chunks decoded but not taken are left to the garbage collector (their buffers are not
            // returned to the pool); the producer ends on the cancellation.
            await producer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task ProduceAsync(
        IAsyncStreamReader<RestoreMessage> responses, string spillDirectory, ChannelWriter<Task<DecodedItem>> pending, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        using var kept = new KeptChunks(spillDirectory);
        var file = new FileChunks(kept);
        try
        {
            while (await responses.MoveNext(cancellationToken))
            {
                var message = responses.Current;
                if (message.Kind != RestoreResponse.KindOneofCase.Batch)
                {
                    await TakeAsync(message, file, pending, cancellationToken);
                    continue;
                }
                for (var i = 0; i < message.Items.Count; i++)
                {
                    try
                    {
                        await TakeAsync(message.Items[i], file, pending, cancellationToken);
                    }
                    catch
                    {
                        for (var rest = i + 1; rest < message.Items.Count; rest++) message.Items[rest].Dispose();
                        throw;
                    }
                }
            }
            file.End();
        }
        catch (Exception e)
        {
            failure = e;
            file.Abandon();
        }
        finally
        {
            pending.TryComplete(failure);
        }
    }

    /// <summary>Passes one response on (its buffer with it, or back to the pool).</summary>
    private static async Task TakeAsync(RestoreMessage message, FileChunks file, ChannelWriter<Task<DecodedItem>> pending, CancellationToken cancellationToken)
    {
        switch (message.Kind)
        {
            case RestoreResponse.KindOneofCase.Entry:
                file.Begin(message.Entry!);
                await pending.WriteAsync(Task.FromResult(new DecodedItem(new RestoreItem(message.Entry, default), null)), cancellationToken);
                await DecodeKeptAsync(file, pending, cancellationToken);
                break;
            case RestoreResponse.KindOneofCase.Data:
                var data = message.Data;
                var buffer = message.TakeBuffer();
                try
                {
                    await pending.WriteAsync(Task.FromResult(new DecodedItem(new RestoreItem(null, data), buffer)), cancellationToken);
                }
                catch
                {
                    if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                break;
            case RestoreResponse.KindOneofCase.Chunk:
                if (file.Add(message) is { } chunk)
                {
                    await pending.WriteAsync(Task.Run(() => Decode(chunk), cancellationToken), cancellationToken);
                    await DecodeKeptAsync(file, pending, cancellationToken);
                }
                break;
            default:
                message.Dispose();
                throw new InvalidInputException("kind", "The restore stream sent a message this agent does not know; update the agent.");
        }
    }

    /// <summary>The current file's next chunks, as long as they are kept ones: the server does not send those again.</summary>
    private static async Task DecodeKeptAsync(FileChunks file, ChannelWriter<Task<DecodedItem>> pending, CancellationToken cancellationToken)
    {
        while (file.NextKept() is { } chunk)
        {
            // As for a chunk from the stream, the decoding task owns the buffer from here.
            await pending.WriteAsync(Task.Run(() => Decode(chunk), cancellationToken), cancellationToken);
        }
    }

    /// <summary>Decompresses and checks a whole chunk; its stored bytes go back to the pool either way.</summary>
    private static DecodedItem Decode(ChunkToDecode chunk)
    {
        byte[]? plain = null;
        try
        {
            var plaintext = chunk.Data;
            if (chunk.Compressed)
            {
                var dictionary = chunk.Dictionaries.GetValueOrDefault(ZstdFrame.DictionaryId(chunk.Data.Span));
                plain = ReceivedChunk.DecompressToRented(chunk.Data.Span, "chunk.data", out var length, dictionary);
                plaintext = plain.AsMemory(0, length);
            }
            if (!ChunkId.Matches(chunk.IdKey, plaintext.Span, chunk.Id))
            {
                throw new DataLossException(
                    $"'{chunk.Path}': chunk {ChunkId.ToHex(chunk.Id)} does not match its ID (damaged on the way or in the repository); the restore stopped.");
            }
            var item = new DecodedItem(new RestoreItem(null, plaintext), plain ?? chunk.Buffer);
            plain = null;
            if (chunk.Compressed) ArrayPool<byte>.Shared.Return(chunk.Buffer);
            return item;
        }
        catch
        {
            if (plain is not null) ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
            throw;
        }
    }

    /// <summary>
    /// Which chunk of the current file comes next, and the pieces of the one arriving, joined in
    /// a pooled buffer when there is more than one (a one-piece chunk keeps its message's buffer).
    /// A chunk needed again later goes to <see cref="KeptChunks"/> as it completes; where the file
    /// names a kept chunk, <see cref="NextKept"/> gives it, and no piece of the stream is taken for it.
    /// </summary>
    private sealed class FileChunks(KeptChunks kept)
    {
        private byte[]? _idKey;
        private IReadOnlyDictionary<uint, ZstdDict> _dictionaries = new Dictionary<uint, ZstdDict>();
        private List<byte[]> _ids = [];
        private int _next;
        private string _path = "";
        private byte[]? _joined;
        private int _joinedLength;
        private bool _compressed;
        private uint _laterUses;

        public void Begin(RestoreEntry entry)
        {
            End();
            if (!entry.ChunkIdKey.IsEmpty) _idKey = entry.ChunkIdKey.ToByteArray();
            if (entry.Dictionaries.Count > 0) _dictionaries = LoadDictionaries(entry.Dictionaries);
            _ids = entry.Node.ChunkIds.IsEmpty ? [] : ChunkId.Unpack(entry.Node.ChunkIds.Memory);
            _next = 0;
            _path = entry.Path;
        }

        /// <summary>Takes a chunk piece (and its buffer); returns the chunk when the piece ends it.</summary>
        public ChunkToDecode? Add(RestoreMessage piece)
        {
            using (piece)
            {
                if (_idKey is null) throw new InvalidInputException("chunk", "The server sent chunks without the key to check them against.");
                if (_next >= _ids.Count) throw new InvalidInputException("chunk", $"'{_path}': more chunks than its entry names ({_ids.Count}).");
                if (_joined is null && piece.EndOfChunk)
                {
                    kept.Keep(_ids[_next], piece.Data.Span, piece.Compressed, piece.LaterUses);
                    return new ChunkToDecode(_path, _ids[_next++], piece.Data, piece.Compressed, _idKey, _dictionaries, piece.TakeBuffer()!);
                }
                if (_joined is null) (_compressed, _laterUses) = (piece.Compressed, piece.LaterUses);
                Append(piece.Data.Span);
                if (!piece.EndOfChunk) return null;
                kept.Keep(_ids[_next], _joined.AsSpan(0, _joinedLength), _compressed, _laterUses);
                var whole = new ChunkToDecode(_path, _ids[_next++], _joined.AsMemory(0, _joinedLength), _compressed, _idKey, _dictionaries, _joined!);
                (_joined, _joinedLength) = (null, 0);
                return whole;
            }
        }

        /// <summary>The file's next chunk when it is a kept one (a copy in a pooled buffer, the decoder's to return); null otherwise.</summary>
        public ChunkToDecode? NextKept()
        {
            if (_joined is not null || _idKey is null || _next >= _ids.Count) return null;
            var id = _ids[_next];
            if (!kept.TryUse(id, out var buffer, out var length, out var compressed)) return null;
            _next++;
            return new ChunkToDecode(_path, id, buffer.AsMemory(0, length), compressed, _idKey, _dictionaries, buffer);
        }

        /// <summary>This client's dictionaries as the server gave them; one that is not usable is refused.</summary>
        private static Dictionary<uint, ZstdDict> LoadDictionaries(IEnumerable<CompressionDictionary> given)
        {
            var loaded = new Dictionary<uint, ZstdDict>();
            foreach (var message in given)
            {
                try
                {
                    var dictionary = ZstdDict.Load(message.Content.Span);
                    if (dictionary.Id != message.Id) throw new InvalidDataException($"its content names ID {dictionary.Id}");
                    loaded[dictionary.Id] = dictionary;
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidInputException("entry.dictionaries", $"The server's dictionary {message.Id} is not usable: {e.Message}.");
                }
            }
            return loaded;
        }

        /// <summary>A chunk cut off by the next entry or the end; too few chunks show as a file short of its size.</summary>
        public void End()
        {
            if (_joined is not null) throw new InvalidInputException("chunk.end_of_chunk", $"'{_path}': the stream ended inside a chunk.");
        }

        /// <summary>The restore failed: a chunk being joined goes back to the pool.</summary>
        public void Abandon()
        {
            if (_joined is not null) ArrayPool<byte>.Shared.Return(_joined);
            (_joined, _joinedLength) = (null, 0);
        }

        private void Append(ReadOnlySpan<byte> data)
        {
            if (_joinedLength + data.Length > ChunkLimits.MaxChunkBytes)
            {
                throw new InvalidInputException("chunk.data", $"A chunk may hold at most {ChunkLimits.MaxChunkBytes} bytes.");
            }
            if (_joined is null || _joined.Length < _joinedLength + data.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_joinedLength + data.Length, Math.Min((_joined?.Length ?? 0) * 2, ChunkLimits.MaxChunkBytes)));
                if (_joined is not null)
                {
                    _joined.AsSpan(0, _joinedLength).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_joined);
                }
                _joined = larger;
            }
            data.CopyTo(_joined.AsSpan(_joinedLength));
            _joinedLength += data.Length;
        }
    }

    /// <summary>A whole chunk as stored, in <paramref name="Buffer"/> (pooled, the decoder's to return), and the dictionaries its frame may need.</summary>
    private sealed record ChunkToDecode(
        string Path, byte[] Id, ReadOnlyMemory<byte> Data, bool Compressed, byte[] IdKey, IReadOnlyDictionary<uint, ZstdDict> Dictionaries, byte[] Buffer);

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
