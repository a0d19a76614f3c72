namespace Urb.Scheduler.Data;

/// <summary>One client's usage figures on one UTC day, as the day's last recording left them.</summary>
public sealed class UsageDayRecord
{
    public Guid ClientId { get; set; }
    public DateOnly Day { get; set; }
    public Guid TenantId { get; set; }
    public long StoredBytes { get; set; }
    public long PlainBytes { get; set; }
    public long LogicalBytes { get; set; }
    public long LatestBackupBytes { get; set; }
    public int IncrementalBackups { get; set; }
    public int FullBackups { get; set; }
    public int IncrementalImageBackups { get; set; }
    public int FullImageBackups { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
