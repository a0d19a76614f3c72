using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;

namespace Urb.Ingest.Snapshots;

/// <summary>
/// Reads stored objects (chunks and trees) of a tenant by ID: where they are from Urb.DedupIndex,
/// their verified plaintext from Urb.Storage, many per call. Only ever given IDs that the server
/// itself found in a snapshot the caller may read: no agent hands it a raw ID.
/// </summary>
public sealed class ChunkSource(DedupIndex.DedupIndexClient index, Storage.StorageClient storage)
{
    /// <summary>Storage reads at most this many locations per call.</summary>
    private const int ReadBatch = 4096;

    /// <summary>
    /// The pieces of each object in the order asked (an ID asked twice comes twice): its verified
    /// plaintext, or with <paramref name="asStored"/> its stored zstd frame where it is compressed,
    /// for a receiver that decompresses and verifies it (<see cref="ReadChunksRequest.AsStored"/>);
    /// frames of a dictionary not in <paramref name="readableDictionaries"/> come as plaintext.
    /// </summary>
    public async IAsyncEnumerable<ChunkPiece> ReadAsync(
        Guid tenant, IReadOnlyList<byte[]> ids, bool asStored, IEnumerable<uint> readableDictionaries,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var readable = readableDictionaries.ToList();
        for (var start = 0; start < ids.Count; start += ReadBatch)
        {
            var batch = ids.Skip(start).Take(ReadBatch).ToList();
            var located = await LocateAsync(tenant, batch, cancellationToken);
            var request = new ReadChunksRequest { TenantId = tenant.ToString(), Chunks = { located }, AsStored = asStored, ReadableDictionaries = { readable } };
            using var call = storage.ReadChunkBatches(request, cancellationToken: cancellationToken);
            await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                foreach (var piece in message.Pieces)
                {
                    yield return new ChunkPiece(piece.ChunkId, piece.Data, piece.EndOfChunk, piece.Compressed, piece.PlainLength);
                }
            }
        }
    }

    /// <summary>Whole objects (joined from their pieces) keyed by ID.</summary>
    public async Task<Dictionary<byte[], byte[]>> ReadWholeAsync(Guid tenant, IReadOnlyList<byte[]> ids, CancellationToken cancellationToken)
    {
        var objects = new Dictionary<byte[], byte[]>(ChunkIdComparer.Instance);
        var current = new MemoryStream();
        byte[]? currentId = null;
        await foreach (var piece in ReadAsync(tenant, ids, asStored: false, [], cancellationToken))
        {
            if (!piece.ChunkId.IsEmpty) currentId = piece.ChunkId.ToByteArray();
            current.Write(piece.Data.Span);
            if (!piece.EndOfChunk) continue;
            objects[currentId!] = current.ToArray();
            current.SetLength(0);
        }
        return objects;
    }

    /// <summary>Where each object is (and whether it is a tree), in the order asked; NotFound when one is not stored for the tenant.</summary>
    public async Task<IEnumerable<ChunkLocation>> LocateAsync(Guid tenant, IReadOnlyList<byte[]> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct(ChunkIdComparer.Instance).ToList();
        var packed = ChunkId.Pack(distinct);
        var answer = await index.LocateChunksAsync(
            new LocateChunksRequest { TenantId = tenant.ToString(), ChunkIds = UnsafeByteOperations.UnsafeWrap(packed) },
            cancellationToken: cancellationToken);
        var byId = new Dictionary<byte[], ChunkLocation>(ChunkIdComparer.Instance);
        foreach (var location in answer.Locations) byId[location.ChunkId.ToByteArray()] = location;
        return ids.Select(id => byId[id]);
    }
}

/// <summary>
/// A piece of an object: its plaintext, or its zstd frame when <see cref="Compressed"/>.
/// <see cref="ChunkId"/>, <see cref="Compressed"/> and <see cref="PlainLength"/> are set on the
/// first piece of each.
/// </summary>
public readonly record struct ChunkPiece(ByteString ChunkId, ByteString Data, bool EndOfChunk, bool Compressed, int PlainLength);
