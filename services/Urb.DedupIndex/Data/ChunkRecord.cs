namespace Urb.DedupIndex.Data;

/// <summary>A chunk stored for a tenant and where it is: the index's answer to "do we have this content?".</summary>
public sealed class ChunkRecord
{
    /// <summary>
    /// The row's number (an identity, never reused): what <c>chunk_refs</c> points at, 8 bytes
    /// instead of the 48 of tenant and chunk ID in every reference and its key.
    /// </summary>
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The 32-byte keyed BLAKE3 of the plaintext.</summary>
    public required byte[] ChunkId { get; set; }

    /// <summary>The pack file's name (lowercase hex).</summary>
    public required string Pack { get; set; }

    public long Offset { get; set; }

    /// <summary>Stored bytes of the record (header, encrypted data, tag): what usage is charged in.</summary>
    public int Length { get; set; }

    public int PlainLength { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The object is a snapshot tree (as Urb.Ingest said on upload).</summary>
    public bool IsTree { get; set; }

    /// <summary>
    /// Set by garbage collection when no snapshot reached the object: from then on every presence
    /// lookup answers "absent", and a later run deletes it. Registering it again clears it.
    /// </summary>
    public DateTimeOffset? CondemnedAt { get; set; }
}
