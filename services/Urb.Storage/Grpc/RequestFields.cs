using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Urb.Storage.Packs;

namespace Urb.Storage.Grpc;

/// <summary>Checks of request fields, each failing with the field's name.</summary>
internal static class RequestFields
{
    public static Guid Tenant(string text) => RequestId.Parse(text, "tenant_id");

    public static ChunkReadRequest Location(ChunkLocation location)
    {
        if (location.ChunkId.Length != ChunkId.Size) throw new InvalidInputException("chunks.chunk_id", $"A chunk ID is {ChunkId.Size} bytes.");
        if (!PackName.IsValidId(location.Pack)) throw new InvalidInputException("chunks.pack", $"'{location.Pack}' is not a pack name.");
        if (location.Offset < PackFormat.HeaderSize || location.Length < PackFormat.RecordHeaderSize + PackFormat.TagSize
            || location.Length > PackFormat.RecordLength(ChunkLimits.MaxChunkBytes + 1024))
        {
            throw new InvalidInputException("chunks", $"The location of chunk {ChunkId.ToHex(location.ChunkId.Span)} is out of range.");
        }
        return new ChunkReadRequest(location.ChunkId.ToByteArray(), location.Pack, location.Offset, location.Length);
    }
}

/// <summary>One chunk to read: its ID and where its record is.</summary>
public sealed record ChunkReadRequest(byte[] ChunkId, string Pack, long Offset, int Length);
