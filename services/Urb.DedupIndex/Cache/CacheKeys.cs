using StackExchange.Redis;
using Urb.Domain.Content;

namespace Urb.DedupIndex.Cache;

/// <summary>
/// The Redis keys, all under the tenant. The tenant is a hash tag (<c>{...}</c>) so that in a
/// Redis Cluster all of a tenant's keys share a slot and one MGET can read many file entries.
/// Each key carries the tenant's cache generation (<c>g&lt;n&gt;</c>, kept in PostgreSQL): garbage
/// collection bumps it when it condemns content, and the keys of older generations are never
/// read again (they expire).
/// </summary>
public static class CacheKeys
{
    /// <summary>A set of the tenant's stored chunk IDs (32 raw bytes each).</summary>
    public static RedisKey ChunkSet(Guid tenant, long generation) => $"urb:dedup:{{{tenant:D}}}:g{generation}:chunks";

    /// <summary>One file entry (see <see cref="FileEntryCodec"/>), by its whole-file hash in hex.</summary>
    public static RedisKey FileEntry(Guid tenant, long generation, ReadOnlySpan<byte> fileHash) =>
        $"urb:dedup:{{{tenant:D}}}:g{generation}:fe:{ChunkId.ToHex(fileHash)}";
}
