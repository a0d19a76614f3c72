namespace Urb.DedupIndex.Options;

/// <summary>The index's settings (section <c>DedupIndex</c>).</summary>
public sealed class DedupIndexOptions
{
    public const string SectionName = "DedupIndex";

    /// <summary>IDs per FindChunks, LocateChunks, AddReferences or RemoveReferences call (and chunks per RegisterChunks); the contract's limit.</summary>
    public const int MaxIdsPerCall = 65536;

    /// <summary>File hashes per FindFileEntries call (and entries per PutFileEntries); the contract's limit.</summary>
    public const int MaxFileHashesPerCall = 10000;

    /// <summary>How long a file entry stays in the Redis cache after it was last written there. Default 7 days.</summary>
    public TimeSpan FileEntryCacheTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a tenant's set of chunk IDs stays in Redis after the last chunk was added to it,
    /// so the sets of tenants that stopped backing up do not hold memory forever. Default 30 days.
    /// </summary>
    public TimeSpan ChunkSetCacheTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a call waits for Redis before it answers from PostgreSQL alone. Loopback or
    /// same-rack Redis answers a full batch in milliseconds, so waiting longer only delays the
    /// backup. Default 1 second.
    /// </summary>
    public TimeSpan CacheTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
