using Urb.Domain.Content;
using Urb.DedupIndex.Cache;
using Urb.DedupIndex.Data;
using Urb.DedupIndex.Telemetry;

namespace Urb.DedupIndex.Index;

/// <summary>Chunk presence and placement: Redis answers what it can, PostgreSQL the rest (and is the truth).</summary>
public sealed class ChunkIndex(DedupCache cache, ChunkTable table, CacheGenerationTable generations, DedupIndexMetrics metrics, TimeProvider time)
{
    /// <summary>For each ID, in order, whether it is stored for the tenant.</summary>
    public async Task<bool[]> FindAsync(Guid tenant, byte[][] ids, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        // Read first: what this call learns goes into this generation's keys, which a
        // condemnation after this point has already made unreachable.
        var generation = await generations.GetAsync(tenant, cancellationToken);
        var present = await cache.ContainsChunksAsync(tenant, generation, ids, cancellationToken) ?? new bool[ids.Length];
        // A cache miss is not "absent": Redis may have been flushed or restarted, or never filled.
        var misses = Enumerable.Range(0, ids.Length).Where(i => !present[i]).ToList();
        if (misses.Count > 0)
        {
            var asked = misses.Select(i => ids[i]).Distinct(ChunkIdComparer.Instance).ToArray();
            var stored = await table.FindExistingAsync(tenant, asked, cancellationToken);
            foreach (var i in misses) present[i] = stored.Contains(ids[i]);
            // What the database had and the cache did not goes into the cache: it refills itself.
            await cache.AddChunksAsync(tenant, generation, stored, cancellationToken);
        }
        metrics.LookedUp("chunk", "find_chunks", ids.Length, ids.Length - misses.Count, misses.Count, time.GetElapsedTime(started));
        return present;
    }

    /// <summary>
    /// The placement of each ID, in order; null for the first that is not stored. Placements
    /// are not cached: they are read when restoring, which then reads the chunks themselves.
    /// </summary>
    public async Task<(ChunkPlacement[] Placements, byte[]? FirstMissing)> LocateAsync(Guid tenant, byte[][] ids, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var found = await table.LocateAsync(tenant, ids.Distinct(ChunkIdComparer.Instance).ToArray(), cancellationToken);
        metrics.LookedUp("chunk", "locate_chunks", ids.Length, 0, 0, time.GetElapsedTime(started));
        var placements = new ChunkPlacement[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!found.TryGetValue(ids[i], out var placement)) return ([], ids[i]);
            placements[i] = placement;
        }
        return (placements, null);
    }

    /// <summary>Records placements (the database first, then the cache) and returns how many were new.</summary>
    public async Task<int> RegisterAsync(Guid tenant, IReadOnlyList<ChunkPlacement> chunks, CancellationToken cancellationToken)
    {
        // The generation before the rows: a condemnation between the two leaves these IDs in a
        // generation no lookup reads any more.
        var generation = await generations.GetAsync(tenant, cancellationToken);
        var added = await table.InsertAsync(tenant, chunks, cancellationToken);
        metrics.Registered(added);
        // Only now, with the rows committed, may the cache say "present".
        await cache.AddChunksAsync(tenant, generation, chunks.Select(c => c.ChunkId).ToArray(), cancellationToken);
        return added;
    }
}
