namespace Urb.Scheduler;

/// <summary>The scheduler's configuration (section <c>Scheduler</c>).</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>How often due backups are checked and started, and the cleanup window is looked at. Zero: never (the Jobs API still answers).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A running job without an outcome from its agent for this long is failed (the agent may be gone for good).</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The time zone of windows, GFS days and log lines (IANA id, e.g. Europe/Berlin). Empty: the host's zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The storage's capacity (<c>4T</c>), for soft quotas given as a percentage. Unset: percentage quotas are not enforced (the cleanup says so).</summary>
    public string? StorageCapacity { get; set; }

    /// <summary>Passed to the garbage collection; unset: Urb.Ingest's own setting.</summary>
    public TimeSpan? GarbageGrace { get; set; }
}
