namespace Urb.Scheduler.Data;

/// <summary>A backup the scheduler decided to start, and what became of it.</summary>
public sealed class JobRecord
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ClientId { get; set; }
    /// <summary>urb.agent.v1.BackupKind: 1 incremental, 2 full, 3 incremental image, 4 full image.</summary>
    public int Kind { get; set; }
    /// <summary>One of <see cref="JobStatus"/>.</summary>
    public required string Status { get; set; }
    /// <summary>Why it was queued (the due planner's words).</summary>
    public required string Reason { get; set; }
    /// <summary>The failure, the cancellation's reason, or the agent's summary.</summary>
    public string? Outcome { get; set; }
    public string? CommandId { get; set; }
    public Guid? BackupId { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public bool IsActive => Status is JobStatus.Queued or JobStatus.Running;
}

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
