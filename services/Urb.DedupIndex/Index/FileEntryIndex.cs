using Urb.Domain.Content;
using Urb.DedupIndex.Cache;
using Urb.DedupIndex.Data;
using Urb.DedupIndex.Telemetry;

namespace Urb.DedupIndex.Index;

/// <summary>File entries: one MGET for the cached ones, one query for the rest (which are then cached).</summary>
public sealed class FileEntryIndex(DedupCache cache, FileEntryTable table, CacheGenerationTable generations, DedupIndexMetrics metrics, TimeProvider time)
{
    /// <summary>The known entries among <paramref name="hashes"/>, in request order.</summary>
    public async Task<List<FileContent>> FindAsync(Guid tenant, byte[][] hashes, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var generation = await generations.GetAsync(tenant, cancellationToken);
        var entries = await cache.GetFileEntriesAsync(tenant, generation, hashes, cancellationToken) ?? new FileContent?[hashes.Length];
        var misses = Enumerable.Range(0, hashes.Length).Where(i => entries[i] is null).ToList();
        if (misses.Count > 0)
        {
            var asked = misses.Select(i => hashes[i]).Distinct(ChunkIdComparer.Instance).ToArray();
            var stored = await table.FindAsync(tenant, asked, cancellationToken);
            foreach (var i in misses) entries[i] = stored.GetValueOrDefault(hashes[i]);
            await cache.PutFileEntriesAsync(tenant, generation, stored.Values, cancellationToken);
        }
        metrics.LookedUp("file_entry", "find_file_entries", hashes.Length, hashes.Length - misses.Count, misses.Count, time.GetElapsedTime(started));
        return entries.OfType<FileContent>().ToList();
    }

    /// <summary>Records the entries (the database first, then the cache) and returns how many were new.</summary>
    public async Task<int> PutAsync(Guid tenant, IReadOnlyList<FileContent> entries, CancellationToken cancellationToken)
    {
        var generation = await generations.GetAsync(tenant, cancellationToken);
        var added = await table.InsertAsync(tenant, entries, cancellationToken);
        // Only the rows this call inserted: for a hash known already, the database's first
        // entry is the truth, and the cache must not say otherwise.
        await cache.PutFileEntriesAsync(tenant, generation, added, cancellationToken);
        return added.Count;
    }
}
