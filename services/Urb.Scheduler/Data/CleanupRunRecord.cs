namespace Urb.Scheduler.Data;

/// <summary>One nightly cleanup: when it ran and what it did, in words.</summary>
public sealed class CleanupRunRecord
{
    public Guid Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary><c>running</c>, <c>done</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }
    public int BackupsArchived { get; set; }
    public int BackupsDeleted { get; set; }
    public string? Summary { get; set; }
}
