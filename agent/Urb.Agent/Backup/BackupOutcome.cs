using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Backup;

/// <summary>What a finished backup reports: the committed snapshot and what it took.</summary>
public sealed record BackupOutcome(
    Snapshot Snapshot, BackupStats Stats, IReadOnlyList<BackupWarning> Warnings, IReadOnlyList<string> Notes, TimeSpan Duration, BackupPhases Phases)
{
    public bool CompletedWithWarnings => Warnings.Count > 0;

    /// <summary>Bytes of file content in the snapshot per byte uploaded (after dedup and compression).</summary>
    public double DedupRatio => Stats.BytesSent == 0 ? double.PositiveInfinity : (double)Stats.TotalBytes / Stats.BytesSent;
}

/// <summary>
/// Where a backup's wall time went, for an operator asking why one was slow: planning (walking
/// the paths against the state database while the server starts the backup), reading (reading
/// and uploading what changed), trees (building the snapshot's directory objects and sending
/// the new ones), committing (the server's commit) and saving the state database (none for an
/// image backup).
/// </summary>
public sealed record BackupPhases(TimeSpan Planning, TimeSpan Reading, TimeSpan Trees, TimeSpan Committing, TimeSpan SavingState);
