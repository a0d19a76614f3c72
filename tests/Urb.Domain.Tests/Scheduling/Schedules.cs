using Urb.Domain.Retention;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Tests.Scheduling;

/// <summary>Backup schedules from setting text; the defaults are UrBackup's file schedule (5h, 30d, any time).</summary>
internal static class Schedules
{
    public static BackupSchedule Of(
        string incremental = "5h", string full = "30d", string incrementalWindow = "*", string fullWindow = "*", BackupSide side = BackupSide.File) =>
        new(BackupInterval.Parse(incremental), BackupInterval.Parse(full), BackupWindow.Parse(incrementalWindow), BackupWindow.Parse(fullWindow), side);
}
