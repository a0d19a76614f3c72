namespace Urb.Ingest.Data;

/// <summary>One file backup attempt of a client; a snapshot once <see cref="Status"/> is completed.</summary>
public sealed class BackupRecord
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ClientId { get; set; }
    /// <summary>urb.agent.v1.BackupKind.</summary>
    public int Kind { get; set; }
    /// <summary>One of <see cref="BackupStatus"/>.</summary>
    public required string Status { get; set; }
    public required string[] Paths { get; set; }
    public string? AgentVersion { get; set; }
    /// <summary>The IDs of the root tree's parts, concatenated; set on commit.</summary>
    public byte[]? RootIds { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>Renewed while the backup's stream is alive, so a backup whose ingest process died is found and marked interrupted.</summary>
    public DateTimeOffset HeartbeatAt { get; set; }
    /// <summary>Why it failed, for the operator.</summary>
    public string? Failure { get; set; }
    /// <summary>Per-path problems the agent reported, as JSON [{"path":..,"message":..}] (at most <see cref="MaxWarningsKept"/>).</summary>
    public string? WarningsJson { get; set; }
    public int Warnings { get; set; }

    /// <summary>Set while the backup is archived (see <see cref="Snapshots.ArchiveMarks"/>); null: not archived.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }
    /// <summary>The archival rule that archived it; null for an operator's (manual) archive.</summary>
    public string? ArchiveRuleId { get; set; }
    /// <summary>The last moment the archive holds; null: until unarchived, or a rule that keeps forever.</summary>
    public DateTimeOffset? ArchivedUntil { get; set; }
    /// <summary>When it stopped being a snapshot (status <see cref="BackupStatus.Deleted"/>).</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public long FilesNew { get; set; }
    public long FilesChanged { get; set; }
    public long FilesUnchanged { get; set; }
    public long Directories { get; set; }
    public long TotalBytes { get; set; }
    public long BytesRead { get; set; }
    public long BytesNew { get; set; }
    public long BytesSent { get; set; }
    public long ChunksNew { get; set; }
    public long ChunksKnown { get; set; }

    public const int MaxWarningsKept = 1000;
}
