using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Google.Protobuf;
using Urb.Contracts.Index.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.ServiceDefaults.Content;
using Urb.Storage.Grpc;
using Urb.Storage.Keys;

namespace Urb.Storage.Packs;

/// <summary>
/// Reads chunks back in request order, each decrypted and verified against its ID (or, as stored,
/// checked by its authentication tag only: <see cref="ChunkCodec.OpenStored"/>); a chunk that is
/// missing or does not verify is DataLoss naming the chunk and the pack, never wrong bytes.
/// A frame compressed with a dictionary the receiver does not have is decompressed here with it
/// (<see cref="CompressionDictionaries"/>). A few chunks are read and verified ahead of the one
/// being sent, to keep both cores busy.
/// </summary>
public sealed class ChunkReader(IPackStore store, ChunkCodec codec, CompressionDictionaries dictionaries, DedupIndex.DedupIndexClient index, StorageMetrics metrics)
{
    private static readonly IReadOnlySet<uint> NoDictionaries = new HashSet<uint>();

    /// <summary>Chunks in flight ahead of the one being sent (measured: 8 gave 10–15 % more than 4; 16 no more; bench/RESULTS.md).</summary>
    private const int ReadAhead = 8;

    /// <param name="asStored">Compressed chunks come as their frames (<see cref="ChunkCodec.OpenStored"/>), except frames of a dictionary not in <paramref name="readable"/>.</param>
    public async IAsyncEnumerable<(ChunkReadRequest Location, StoredChunk Chunk)> ReadAsync(
        Guid tenant, TenantKeys keys, IReadOnlyList<ChunkReadRequest> locations, bool asStored, IReadOnlySet<uint> readable,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = Channel.CreateBounded<Task<StoredChunk>>(ReadAhead);
        using var packs = store.OpenReader();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var location in locations)
                {
                    await pending.Writer.WriteAsync(Task.Run(() => ReadOneAsync(packs, tenant, keys, location, asStored, readable, stop.Token), stop.Token), stop.Token);
                }
            }
            finally
            {
                pending.Writer.TryComplete();
            }
        }, stop.Token);

        try
        {
            var index = 0;
            await foreach (var read in pending.Reader.ReadAllAsync(cancellationToken))
            {
                yield return (locations[index++], await read);
            }
            await producer;
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    private async Task<StoredChunk> ReadOneAsync(
        IPackReader packs, Guid tenant, TenantKeys keys, ChunkReadRequest location, bool asStored, IReadOnlySet<uint> readable, CancellationToken cancellationToken)
    {
        var pack = new PackName(tenant, location.Pack);
        var record = ArrayPool<byte>.Shared.Rent(location.Length);
        try
        {
            await packs.ReadAsync(pack, location.Offset, record.AsMemory(0, location.Length), cancellationToken);
            var stored = codec.OpenStored(keys, record.AsSpan(0, location.Length), location.ChunkId);
            var dictionaryId = stored.Compressed ? ZstdFrame.DictionaryId(stored.Data) : 0;
            if (asStored && (dictionaryId == 0 || readable.Contains(dictionaryId))) return stored;
            var dictionary = dictionaryId == 0 ? null : await DictionaryAsync(packs, tenant, keys, dictionaryId, cancellationToken);
            var plaintext = ChunkCodec.Decode(stored, location.ChunkId, keys, dictionary);
            return new StoredChunk(plaintext, Compressed: false, plaintext.Length);
        }
        catch (Exception e) when (e is ChunkCorruptException or PackNotFoundException or EndOfStreamException)
        {
            metrics.CorruptChunks.Add(1);
            var reason = e switch
            {
                PackNotFoundException => "the pack is missing",
                EndOfStreamException => "the pack is shorter than the chunk's location",
                _ => e.Message,
            };
            throw new DataLossException($"Chunk {ChunkId.ToHex(location.ChunkId)} in pack {location.Pack} cannot be read: {reason}.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(record);
        }
    }

    /// <summary>The tenant's dictionary a frame names, read from the packs and verified like any object (it is stored raw).</summary>
    private async Task<ZstdDict> DictionaryAsync(IPackReader packs, Guid tenant, TenantKeys keys, uint id, CancellationToken cancellationToken)
    {
        try
        {
            var found = await dictionaries.GetAsync(tenant, id, async (objectId, token) =>
            {
                var located = await index.LocateChunksAsync(
                    new LocateChunksRequest { TenantId = tenant.ToString(), ChunkIds = ByteString.CopyFrom(objectId) }, cancellationToken: token);
                var location = RequestFields.Location(located.Locations.Single());
                return (await ReadOneAsync(packs, tenant, keys, location, asStored: false, NoDictionaries, token)).Data;
            }, cancellationToken);
            return found ?? throw new ChunkCorruptException($"its frame needs dictionary {id}, which this tenant does not have");
        }
        catch (InvalidDataException e)
        {
            throw new ChunkCorruptException($"its dictionary {id} cannot be read: {e.Message}");
        }
    }
}
