using Urb.Domain.Settings;

namespace Urb.Domain.Scheduling;

/// <summary>A client's schedule of file backups: an interval and a window per kind (from its effective settings).</summary>
public sealed record FileBackupSchedule(
    TimeDependentValue<BackupInterval> IncrementalInterval,
    TimeDependentValue<BackupInterval> FullInterval,
    BackupWindow IncrementalWindow,
    BackupWindow FullWindow)
{
    /// <summary>UrBackup's defaults: incremental every 5 h, full every 30 d, at any time.</summary>
    public static FileBackupSchedule Default { get; } = new(
        BackupInterval.Parse("5h"), BackupInterval.Parse("30d"), BackupWindow.Always, BackupWindow.Always);

    /// <summary>The schedule a client's settings give; <see cref="Errors.InvalidInputException"/> naming the bad setting.</summary>
    public static FileBackupSchedule From(EffectiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new FileBackupSchedule(
            settings.Interval(SettingCatalog.IncrementalFileInterval),
            settings.Interval(SettingCatalog.FullFileInterval),
            settings.Window(SettingCatalog.IncrementalFileWindow),
            settings.Window(SettingCatalog.FullFileWindow));
    }
}

/// <summary>When a client's last successful file backups of each kind finished (null: never).</summary>
public sealed record LastFileBackups(DateTimeOffset? Incremental, DateTimeOffset? Full)
{
    public static LastFileBackups None { get; } = new(null, null);

    /// <summary>The last file backup of either kind: a full one also resets the incremental interval.</summary>
    public DateTimeOffset? Any => (Incremental, Full) switch
    {
        (null, var f) => f,
        (var i, null) => i,
        ({ } i, { } f) => i > f ? i : f,
    };
}
