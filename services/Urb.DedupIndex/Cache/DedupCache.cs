using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Urb.DedupIndex.Data;
using Urb.DedupIndex.Options;

namespace Urb.DedupIndex.Cache;

/// <summary>
/// Redis in front of PostgreSQL: a per-tenant set of stored chunk IDs and the file entries.
/// It only ever holds what PostgreSQL has, so a hit is an answer and a miss means "ask the
/// database". Every method survives Redis being down, flushed or restarted: reads answer null
/// ("no cache, ask the database"), writes are skipped, and a warning says so at most once a
/// minute. A call never waits for Redis longer than <see cref="DedupIndexOptions.CacheTimeout"/>
/// (a Redis that hangs with its connection open would otherwise hold every backup for the
/// multiplexer's command timeout), and after a failure the cache is left alone for
/// <see cref="RetryInterval"/>: a disconnected multiplexer would only queue the commands, and a
/// hung Redis would cost each call the timeout again.
/// </summary>
public sealed partial class DedupCache(IConnectionMultiplexer redis, IOptions<DedupIndexOptions> options, TimeProvider time, ILogger<DedupCache> logger)
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long the cache is not asked after a failure.</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private long lastWarning;
    private long askAgainAt;
    private int unavailable;

    /// <summary>For each ID whether the set has it, or null when the cache cannot answer.</summary>
    public async Task<bool[]?> ContainsChunksAsync(Guid tenant, long generation, byte[][] ids, CancellationToken cancellationToken)
    {
        if (ids.Length == 0 || !ShouldAsk()) return null;
        try
        {
            var found = await Bounded(redis.GetDatabase().SetContainsAsync(CacheKeys.ChunkSet(tenant, generation), ToValues(ids)), cancellationToken);
            Succeeded();
            return found;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Failed(e);
            return null;
        }
    }

    /// <summary>Adds IDs that PostgreSQL has to the tenant's set (and keeps the set alive).</summary>
    public async Task AddChunksAsync(Guid tenant, long generation, IReadOnlyCollection<byte[]> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0 || !ShouldAsk()) return;
        try
        {
            var db = redis.GetDatabase();
            var key = CacheKeys.ChunkSet(tenant, generation);
            var add = db.SetAddAsync(key, ToValues(ids));
            var expire = db.KeyExpireAsync(key, options.Value.ChunkSetCacheTtl);
            await Bounded(Task.WhenAll(add, expire), cancellationToken);
            Succeeded();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Failed(e);
        }
    }

    /// <summary>For each hash its cached entry (null where not cached), or null when the cache cannot answer.</summary>
    public async Task<FileContent?[]?> GetFileEntriesAsync(Guid tenant, long generation, byte[][] hashes, CancellationToken cancellationToken)
    {
        if (hashes.Length == 0 || !ShouldAsk()) return null;
        try
        {
            var keys = hashes.Select(h => CacheKeys.FileEntry(tenant, generation, h)).ToArray();
            var values = await Bounded(redis.GetDatabase().StringGetAsync(keys), cancellationToken);
            Succeeded();
            return values.Select((v, i) => v.HasValue ? FileEntryCodec.TryDecode(hashes[i], (byte[])v!) : null).ToArray();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Failed(e);
            return null;
        }
    }

    /// <summary>Caches entries that PostgreSQL has, each with the configured time to live.</summary>
    public async Task PutFileEntriesAsync(Guid tenant, long generation, IReadOnlyCollection<FileContent> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0 || !ShouldAsk()) return;
        try
        {
            // One batch: the SETs leave in one write instead of one round trip each.
            var batch = redis.GetDatabase().CreateBatch();
            var ttl = options.Value.FileEntryCacheTtl;
            var sets = entries.Select(e => batch.StringSetAsync(CacheKeys.FileEntry(tenant, generation, e.FileHash), FileEntryCodec.Encode(e), ttl)).ToList();
            batch.Execute();
            await Bounded(Task.WhenAll(sets), cancellationToken);
            Succeeded();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Failed(e);
        }
    }

    /// <summary>Redis's answer, or a <see cref="TimeoutException"/> once it took longer than <see cref="DedupIndexOptions.CacheTimeout"/>.</summary>
    private Task<T> Bounded<T>(Task<T> command, CancellationToken cancellationToken) =>
        command.WaitAsync(options.Value.CacheTimeout, time, cancellationToken);

    private Task Bounded(Task command, CancellationToken cancellationToken) =>
        command.WaitAsync(options.Value.CacheTimeout, time, cancellationToken);

    private static RedisValue[] ToValues(IReadOnlyCollection<byte[]> ids) => ids.Select(id => (RedisValue)id).ToArray();

    private bool ShouldAsk()
    {
        if (time.GetTimestamp() < Interlocked.Read(ref askAgainAt)) return false;
        if (redis.IsConnected) return true;
        Failed(reason: "not connected (reconnecting in the background)");
        return false;
    }

    private void Succeeded()
    {
        if (Interlocked.Exchange(ref unavailable, 0) == 1) LogCacheBack(logger);
    }

    private void Failed(Exception e) => Failed(e.Message.ReplaceLineEndings(" "));

    private void Failed(string reason)
    {
        var now = time.GetTimestamp();
        Interlocked.Exchange(ref askAgainAt, now + (long)(RetryInterval.TotalSeconds * time.TimestampFrequency));
        var last = Interlocked.Read(ref lastWarning);
        if (last != 0 && time.GetElapsedTime(last, now) < WarningInterval) return;
        // Of the calls that fail at once, only the one that moves the clock logs. "Available
        // again" pairs with a logged warning, so a flapping Redis costs two lines a minute.
        if (Interlocked.CompareExchange(ref lastWarning, now, last) != last) return;
        Interlocked.Exchange(ref unavailable, 1);
        LogCacheUnavailable(logger, reason);
    }
}
