using StackExchange.Redis;
using Urb.Domain.Content;

namespace Urb.DedupIndex.Cache;

/// <summary>
/// The Redis keys, all under the tenant. The tenant is a hash tag (<c>{...}</c>) so that in a
/// Redis Cluster all of a tenant's keys share a slot and one MGET can read many file entries.
/// </summary>
public static class CacheKeys
{
    /// <summary>A set of the tenant's stored chunk IDs (32 raw bytes each).</summary>
    public static RedisKey ChunkSet(Guid tenant) => $"urb:dedup:{{{tenant:D}}}:chunks";

    /// <summary>One file entry (see <see cref="FileEntryCodec"/>), by its whole-file hash in hex.</summary>
    public static RedisKey FileEntry(Guid tenant, ReadOnlySpan<byte> fileHash) => $"urb:dedup:{{{tenant:D}}}:fe:{ChunkId.ToHex(fileHash)}";
}
