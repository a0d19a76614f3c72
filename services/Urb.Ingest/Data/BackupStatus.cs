namespace Urb.Ingest.Data;

/// <summary>Where a backup stands; only <see cref="Completed"/> ones are snapshots.</summary>
public static class BackupStatus
{
    /// <summary>The agent is sending; nothing of it is visible as a snapshot.</summary>
    public const string Running = "running";

    /// <summary>Committed: a snapshot (with warnings when the agent reported any).</summary>
    public const string Completed = "completed";

    /// <summary>Ended with an error (the reason is kept); what it stored is reused by the next attempt.</summary>
    public const string Failed = "failed";

    /// <summary>Its stream ended without a word (agent killed, connection cut, a service restarted).</summary>
    public const string Interrupted = "interrupted";

    /// <summary>Was completed, then deleted (cleanup or an operator): no longer a snapshot; its content is reclaimed by the next garbage collection.</summary>
    public const string Deleted = "deleted";
}
