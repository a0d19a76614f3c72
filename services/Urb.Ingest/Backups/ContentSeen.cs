using System.Buffers.Binary;
using Urb.Domain.Content;

namespace Urb.Ingest.Backups;

/// <summary>
/// The objects a backup read: those the agent asked about for the files it read, and those it
/// uploaded. Chunks of files it did not read (unchanged since an earlier backup of the client,
/// asked about with <c>ChunkQuery.reused</c> only to find lost content) are not in it: the client
/// has their references already, so the commit records references for what this set holds (see
/// <see cref="ReferenceRecorder"/>).
/// </summary>
/// <remarks>
/// Keeps the first 8 bytes of each ID. IDs are keyed hashes, so two that share a prefix are as
/// rare as a 64-bit collision, and one only makes the commit offer a reference the client may
/// have already: a set of prefixes is a fraction of the memory and never wrong the other way.
/// </remarks>
public sealed class ContentSeen
{
    private readonly HashSet<ulong> prefixes = [];

    /// <summary>Adds the IDs of a query (<see cref="ChunkId.Size"/> bytes each, packed).</summary>
    public void AddPacked(ReadOnlySpan<byte> packedIds)
    {
        for (var at = 0; at + ChunkId.Size <= packedIds.Length; at += ChunkId.Size) Add(packedIds.Slice(at, ChunkId.Size));
    }

    public void Add(ReadOnlySpan<byte> id) => prefixes.Add(BinaryPrimitives.ReadUInt64LittleEndian(id));

    public bool Contains(ReadOnlySpan<byte> id) => prefixes.Contains(BinaryPrimitives.ReadUInt64LittleEndian(id));

    public bool Contains(byte[] id) => Contains(id.AsSpan());
}
