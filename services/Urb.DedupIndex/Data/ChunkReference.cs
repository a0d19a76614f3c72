namespace Urb.DedupIndex.Data;

/// <summary>A client uses a chunk (some snapshot of it contains it): the basis of usage accounting.</summary>
public sealed class ChunkReference
{
    public Guid TenantId { get; set; }
    public Guid ClientId { get; set; }
    public required byte[] ChunkId { get; set; }

    /// <summary>Set on every AddReferences: garbage collection removes only references older than its cutoff.</summary>
    public DateTimeOffset TouchedAt { get; set; }
}
