namespace Urb.DedupIndex.Data;

/// <summary>
/// A tenant's cache generation, part of every Redis key of the tenant. Each condemnation bumps
/// it, so nothing Redis held before (even a Redis that comes back with old data) is asked again.
/// </summary>
public sealed class CacheGeneration
{
    public Guid TenantId { get; set; }
    public long Generation { get; set; }
}
