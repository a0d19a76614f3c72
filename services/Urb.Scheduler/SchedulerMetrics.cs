using System.Diagnostics.Metrics;

namespace Urb.Scheduler;

/// <summary>Urb.Scheduler's own instruments (meter "Urb.Scheduler"), scraped at /metrics like every meter.</summary>
public sealed class SchedulerMetrics
{
    public const string MeterName = "Urb.Scheduler";

    private int queued;
    private int running;

    public SchedulerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        JobsStarted = meter.CreateCounter<long>("urb.scheduler.jobs.started", description: "Backups the scheduler started on agents, by kind");
        JobsEnded = meter.CreateCounter<long>("urb.scheduler.jobs.ended", description: "Jobs that ended, by outcome (done, failed, cancelled)");
        BackupsDeleted = meter.CreateCounter<long>("urb.scheduler.cleanup.backups.deleted", description: "Backups the nightly cleanup deleted");
        meter.CreateObservableGauge("urb.scheduler.jobs.queued", () => Volatile.Read(ref queued), description: "Jobs waiting for a slot or for their agent (the queue length)");
        meter.CreateObservableGauge("urb.scheduler.jobs.running", () => Volatile.Read(ref running), description: "Jobs running now");
    }

    public Counter<long> JobsStarted { get; }
    public Counter<long> JobsEnded { get; }
    public Counter<long> BackupsDeleted { get; }

    public void Ended(string outcome) => JobsEnded.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The queue as the last tick left it, or as <see cref="Dispatch.QueueGauge"/> last counted it.</summary>
    public void Observe(int queuedJobs, int runningJobs)
    {
        Volatile.Write(ref queued, queuedJobs);
        Volatile.Write(ref running, runningJobs);
    }
}
