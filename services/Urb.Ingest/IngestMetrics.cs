using System.Diagnostics.Metrics;

namespace Urb.Ingest;

/// <summary>Urb.Ingest's own instruments (meter "Urb.Ingest"), scraped at /metrics like every meter.</summary>
public sealed class IngestMetrics
{
    public const string MeterName = "Urb.Ingest";

    private int running;

    public IngestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Backups = meter.CreateCounter<long>("urb.ingest.backups", description: "File backups that ended, by outcome (completed, failed, interrupted)");
        meter.CreateObservableGauge("urb.ingest.backups.running", () => Volatile.Read(ref running), description: "File backups running now");
        ObjectsReceived = meter.CreateCounter<long>("urb.ingest.objects.received", description: "Objects (chunks and trees) uploaded by agents and verified");
        BytesReceived = meter.CreateCounter<long>("urb.ingest.bytes.received", "By", "Bytes of uploaded objects as sent (compressed)");
        ChunksQueried = meter.CreateCounter<long>("urb.ingest.chunks.queried", description: "Object IDs agents asked about");
        ChunksKnown = meter.CreateCounter<long>("urb.ingest.chunks.known", description: "Queried objects the tenant had already (deduplicated)");
        ChunksNew = meter.CreateCounter<long>("urb.ingest.chunks.new", description: "Objects new to the tenant, passed on to storage (against chunks.known, the deduplicated ones)");
        LookupDuration = meter.CreateHistogram<double>("urb.ingest.lookup.duration", "s", "Time of one batch lookup of queried IDs in the index");
        GarbageObjects = meter.CreateCounter<long>("urb.ingest.gc.objects", description: "Objects garbage collection condemned, revived or deleted, by outcome");
        GarbageBytesReclaimed = meter.CreateCounter<long>("urb.ingest.gc.bytes.reclaimed", "By", "Pack file bytes garbage collection gave back");
        GarbageRuns = meter.CreateCounter<long>("urb.ingest.gc.runs", description: "Garbage collection runs of a tenant, by outcome (collected, skipped, failed)");
    }

    public Counter<long> Backups { get; }
    public Counter<long> ObjectsReceived { get; }
    public Counter<long> BytesReceived { get; }
    public Counter<long> ChunksQueried { get; }
    public Counter<long> ChunksKnown { get; }
    public Counter<long> ChunksNew { get; }
    public Histogram<double> LookupDuration { get; }
    public Counter<long> GarbageObjects { get; }
    public Counter<long> GarbageBytesReclaimed { get; }
    public Counter<long> GarbageRuns { get; }

    /// <summary>One tenant's garbage collection run has ended.</summary>
    public void GarbageCollected(string outcome, long condemned = 0, long revived = 0, long deleted = 0, long bytesReclaimed = 0)
    {
        GarbageRuns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        GarbageObjects.Add(condemned, new KeyValuePair<string, object?>("outcome", "condemned"));
        GarbageObjects.Add(revived, new KeyValuePair<string, object?>("outcome", "revived"));
        GarbageObjects.Add(deleted, new KeyValuePair<string, object?>("outcome", "deleted"));
        GarbageBytesReclaimed.Add(bytesReclaimed);
    }

    public void BackupStarted() => Interlocked.Increment(ref running);

    public void BackupEnded(string outcome)
    {
        Interlocked.Decrement(ref running);
        Backups.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }
}
