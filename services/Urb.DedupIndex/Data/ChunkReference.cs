namespace Urb.DedupIndex.Data;

/// <summary>A client uses a chunk (some snapshot of it contains it): the basis of usage accounting.</summary>
/// <remarks>
/// The chunk is named by its row (<see cref="ChunkRecord.Id"/>), which also says whose tenant it
/// is: every query reaches a tenant's references through its <c>chunks</c> rows.
/// </remarks>
public sealed class ChunkReference
{
    public long ChunkRowId { get; set; }
    public Guid ClientId { get; set; }

    /// <summary>Set on every AddReferences: garbage collection removes only references older than its cutoff.</summary>
    public DateTimeOffset TouchedAt { get; set; }
}
