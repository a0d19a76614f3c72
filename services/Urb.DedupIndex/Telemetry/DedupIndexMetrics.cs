using System.Diagnostics.Metrics;

namespace Urb.DedupIndex.Telemetry;

/// <summary>
/// The index's instruments (meter <c>Urb.DedupIndex</c>). <c>kind</c> is <c>chunk</c> or
/// <c>file_entry</c>; <c>operation</c> is the RPC. A low hit ratio with Redis up means the cache
/// is cold (after a flush or restart) and refilling.
/// </summary>
public sealed class DedupIndexMetrics
{
    public const string MeterName = "Urb.DedupIndex";

    private readonly Counter<long> lookedUp;
    private readonly Counter<long> cacheHits;
    private readonly Counter<long> cacheMisses;
    private readonly Counter<long> registered;
    private readonly Histogram<double> lookupDuration;

    public DedupIndexMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        lookedUp = meter.CreateCounter<long>("urb.dedup.lookups", "{id}", "Chunk IDs and file hashes looked up.");
        cacheHits = meter.CreateCounter<long>("urb.dedup.cache.hits", "{id}", "Looked-up IDs answered by Redis.");
        cacheMisses = meter.CreateCounter<long>("urb.dedup.cache.misses", "{id}", "Looked-up IDs that Redis did not answer (asked of PostgreSQL).");
        registered = meter.CreateCounter<long>("urb.dedup.chunks.registered", "{chunk}", "Chunks newly recorded as stored.");
        lookupDuration = meter.CreateHistogram<double>("urb.dedup.lookup.duration", "s", "Duration of a lookup call (cache and database).");
    }

    public void LookedUp(string kind, string operation, int ids, int hits, int misses, TimeSpan duration)
    {
        var kindTag = new KeyValuePair<string, object?>("kind", kind);
        lookedUp.Add(ids, kindTag);
        if (hits > 0) cacheHits.Add(hits, kindTag);
        if (misses > 0) cacheMisses.Add(misses, kindTag);
        lookupDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
    }

    public void Registered(int chunks) => registered.Add(chunks);
}
