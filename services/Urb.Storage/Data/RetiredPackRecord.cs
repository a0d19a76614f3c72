namespace Urb.Storage.Data;

/// <summary>
/// A pack whose live chunks garbage collection copied into a new pack. The index no longer points
/// at it, but a read that located a chunk there just before the move may still come; the file is
/// deleted once <c>Storage:RetiredPackGrace</c> has passed.
/// </summary>
public sealed class RetiredPackRecord
{
    public Guid TenantId { get; set; }
    public required string Pack { get; set; }
    public DateTimeOffset RetiredAt { get; set; }
}
