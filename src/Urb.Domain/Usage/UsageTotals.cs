namespace Urb.Domain.Usage;

/// <summary>
/// One client's usage figures, or the sum over a tenant's clients (urb.api.v1.UsageFigures).
/// <see cref="LogicalBytes"/> is "before dedup and compression": the plain bytes all the
/// client's live backups cover; <see cref="PlainBytes"/> and <see cref="StoredBytes"/> come from
/// the index (after dedup; after dedup and compression, shared chunks charged in equal parts).
/// </summary>
/// <param name="IncrementalBackups">Incremental file backups.</param>
/// <param name="FullBackups">Full file backups.</param>
public sealed record UsageTotals(
    long StoredBytes, long PlainBytes, long LogicalBytes, long LatestBackupBytes, int IncrementalBackups, int FullBackups,
    int IncrementalImageBackups, int FullImageBackups)
{
    public static readonly UsageTotals Zero = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Logical bytes per plain byte kept; 0 while nothing is kept.</summary>
    public double DedupRatio => Ratio(LogicalBytes, PlainBytes);

    /// <summary>Plain bytes per stored byte; 0 while nothing is stored.</summary>
    public double CompressionRatio => Ratio(PlainBytes, StoredBytes);

    /// <summary>Both together: logical bytes per stored byte; 0 while nothing is stored.</summary>
    public double TotalRatio => Ratio(LogicalBytes, StoredBytes);

    public static UsageTotals Sum(IEnumerable<UsageTotals> clients) => clients.Aggregate(Zero, (sum, c) => new(
        checked(sum.StoredBytes + c.StoredBytes),
        checked(sum.PlainBytes + c.PlainBytes),
        checked(sum.LogicalBytes + c.LogicalBytes),
        checked(sum.LatestBackupBytes + c.LatestBackupBytes),
        sum.IncrementalBackups + c.IncrementalBackups,
        sum.FullBackups + c.FullBackups,
        sum.IncrementalImageBackups + c.IncrementalImageBackups,
        sum.FullImageBackups + c.FullImageBackups));

    private static double Ratio(long numerator, long denominator) => denominator <= 0 ? 0 : (double)numerator / denominator;
}
