namespace Urb.DedupIndex.Data;

/// <summary>
/// An object a garbage collection run found reachable: from a client's snapshots, or (nil client)
/// only from a tree a running backup may still reuse. Kept for the length of one run.
/// </summary>
public sealed class GarbageMark
{
    public Guid TenantId { get; set; }
    public Guid RunId { get; set; }
    public Guid ClientId { get; set; }
    public required byte[] ChunkId { get; set; }
}
