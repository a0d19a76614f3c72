using Urb.Domain.Scheduling;

namespace Urb.Domain.Tests.Scheduling;

/// <summary>File backup schedules from setting text; the defaults are UrBackup's (5h, 30d, any time).</summary>
internal static class Schedules
{
    public static FileBackupSchedule Of(string incremental = "5h", string full = "30d", string incrementalWindow = "*", string fullWindow = "*") =>
        new(BackupInterval.Parse(incremental), BackupInterval.Parse(full), BackupWindow.Parse(incrementalWindow), BackupWindow.Parse(fullWindow));
}
