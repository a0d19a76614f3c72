namespace Urb.DedupIndex.Data;

/// <summary>A whole file's content as its ordered chunks, so an unchanged file is never chunked or sent again.</summary>
public sealed class FileEntryRecord
{
    public Guid TenantId { get; set; }

    /// <summary>The 32-byte keyed BLAKE3 of the whole file.</summary>
    public required byte[] FileHash { get; set; }

    public long Size { get; set; }

    /// <summary>The chunk IDs in file order, packed (N × 32 bytes) as they travel on the wire.</summary>
    public required byte[] ChunkIds { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
