namespace Urb.Storage.Data;

/// <summary>A tenant's keys as stored: wrapped by the master key, never in plaintext.</summary>
public sealed class TenantKeyRecord
{
    public Guid TenantId { get; set; }
    /// <summary>AES-256-GCM key for the tenant's chunks at rest.</summary>
    public required byte[] WrappedDataKey { get; set; }
    /// <summary>Key of the tenant's keyed BLAKE3 chunk IDs.</summary>
    public required byte[] WrappedIdKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
