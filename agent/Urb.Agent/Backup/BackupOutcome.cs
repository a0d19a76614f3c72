using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Backup;

/// <summary>What a finished backup reports: the committed snapshot and what it took.</summary>
public sealed record BackupOutcome(Snapshot Snapshot, BackupStats Stats, IReadOnlyList<BackupWarning> Warnings, IReadOnlyList<string> Notes, TimeSpan Duration)
{
    public bool CompletedWithWarnings => Warnings.Count > 0;

    /// <summary>Bytes of file content in the snapshot per byte uploaded (after dedup and compression).</summary>
    public double DedupRatio => Stats.BytesSent == 0 ? double.PositiveInfinity : (double)Stats.TotalBytes / Stats.BytesSent;
}
