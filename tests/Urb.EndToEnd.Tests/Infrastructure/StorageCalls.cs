using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>Writing and reading chunks through Urb.Storage's gRPC API, as Urb.Ingest does.</summary>
public sealed class StorageCalls(Storage.StorageClient storage)
{
    public async Task<byte[]> IdKeyAsync(Guid tenant) =>
        (await storage.GetChunkIdKeyAsync(new GetChunkIdKeyRequest { TenantId = tenant.ToString() })).Key.ToByteArray();

    /// <summary>Writes chunks in frames of at most 1 MiB; the locations come back in order.</summary>
    public async Task<IReadOnlyList<ChunkLocation>> WriteAsync(Guid tenant, IEnumerable<(byte[] Id, byte[] Data)> chunks, CancellationToken cancellationToken = default)
    {
        using var call = storage.WriteChunks(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new WriteChunksRequest { Header = new WriteHeader { TenantId = tenant.ToString() } }, cancellationToken);
        foreach (var (id, data) in chunks)
        {
            await WriteChunkAsync(call.RequestStream, id, data, cancellationToken);
        }
        await call.RequestStream.CompleteAsync();
        return (await call.ResponseAsync).Locations;
    }

    public static async Task WriteChunkAsync(IClientStreamWriter<WriteChunksRequest> stream, byte[] id, byte[] data, CancellationToken cancellationToken)
    {
        for (var at = 0; at < data.Length || at == 0; at += ChunkLimits.MaxFrameBytes)
        {
            var size = Math.Min(ChunkLimits.MaxFrameBytes, data.Length - at);
            await stream.WriteAsync(new WriteChunksRequest
            {
                Frame = new ChunkFrame
                {
                    ChunkId = at == 0 ? ByteString.CopyFrom(id) : ByteString.Empty,
                    Data = ByteString.CopyFrom(data, at, size),
                    EndOfChunk = at + size >= data.Length,
                },
            }, cancellationToken);
            if (data.Length == 0) break;
        }
    }

    /// <summary>Reads chunks as stored (ReadChunksRequest.as_stored): each one's data joined, with what its first piece says.</summary>
    public async Task<List<(byte[] Data, bool Compressed, int PlainLength)>> ReadAsStoredAsync(Guid tenant, IEnumerable<ChunkLocation> locations)
    {
        using var call = storage.ReadChunks(new ReadChunksRequest { TenantId = tenant.ToString(), Chunks = { locations }, AsStored = true });
        var chunks = new List<(byte[], bool, int)>();
        using var current = new MemoryStream();
        var (compressed, plainLength) = (false, 0);
        await foreach (var piece in call.ResponseStream.ReadAllAsync())
        {
            if (!piece.ChunkId.IsEmpty) (compressed, plainLength) = (piece.Compressed, piece.PlainLength);
            current.Write(piece.Data.Span);
            if (!piece.EndOfChunk) continue;
            chunks.Add((current.ToArray(), compressed, plainLength));
            current.SetLength(0);
        }
        return chunks;
    }

    /// <summary>Reads chunks back and puts each one's frames together.</summary>
    public async Task<List<(byte[] Id, byte[] Data)>> ReadAsync(Guid tenant, IEnumerable<ChunkLocation> locations)
    {
        var request = new ReadChunksRequest { TenantId = tenant.ToString(), Chunks = { locations } };
        using var call = storage.ReadChunks(request);
        var chunks = new List<(byte[] Id, byte[] Data)>();
        byte[]? id = null;
        using var current = new MemoryStream();
        await foreach (var piece in call.ResponseStream.ReadAllAsync())
        {
            if (!piece.ChunkId.IsEmpty) id = piece.ChunkId.ToByteArray();
            current.Write(piece.Data.Span);
            if (piece.EndOfChunk)
            {
                chunks.Add((id!, current.ToArray()));
                current.SetLength(0);
            }
        }
        return chunks;
    }
}
