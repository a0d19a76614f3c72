using Urb.Domain.Retention;
using Urb.Domain.Settings;

namespace Urb.Domain.Scheduling;

/// <summary>A client's schedule of file or image backups (<see cref="Side"/>): an interval and a window per kind (from its effective settings).</summary>
public sealed record BackupSchedule(
    TimeDependentValue<BackupInterval> IncrementalInterval,
    TimeDependentValue<BackupInterval> FullInterval,
    BackupWindow IncrementalWindow,
    BackupWindow FullWindow,
    BackupSide Side = BackupSide.File)
{
    /// <summary>UrBackup's file defaults: incremental every 5 h, full every 30 d, at any time.</summary>
    public static BackupSchedule Default { get; } = new(
        BackupInterval.Parse("5h"), BackupInterval.Parse("30d"), BackupWindow.Always, BackupWindow.Always);

    /// <summary>UrBackup's image defaults: incremental every 7 d, full every 60 d, at any time.</summary>
    public static BackupSchedule DefaultImage { get; } = new(
        BackupInterval.Parse("7d"), BackupInterval.Parse("60d"), BackupWindow.Always, BackupWindow.Always, BackupSide.Image);

    public BackupType IncrementalType => Side.Types()[0];

    public BackupType FullType => Side.Types()[1];

    /// <summary>The schedule of one side a client's settings give; <see cref="Errors.InvalidInputException"/> naming the bad setting.</summary>
    public static BackupSchedule From(EffectiveSettings settings, BackupSide side = BackupSide.File)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var incremental = BackupTypeSettings.Of(side.Types()[0]);
        var full = BackupTypeSettings.Of(side.Types()[1]);
        return new BackupSchedule(
            settings.Interval(incremental.Interval),
            settings.Interval(full.Interval),
            settings.Window(incremental.Window),
            settings.Window(full.Window),
            side);
    }
}

/// <summary>When a client's last successful backups of each kind of one side finished (null: never).</summary>
public sealed record LastBackups(DateTimeOffset? Incremental, DateTimeOffset? Full)
{
    public static LastBackups None { get; } = new(null, null);

    /// <summary>The last backup of either kind: a full one also resets the incremental interval.</summary>
    public DateTimeOffset? Any => (Incremental, Full) switch
    {
        (null, var f) => f,
        (var i, null) => i,
        ({ } i, { } f) => i > f ? i : f,
    };
}

/// <summary>When a client's last successful file and image backups finished.</summary>
public sealed record BackupHistory(LastBackups File, LastBackups Image)
{
    public static BackupHistory None { get; } = new(LastBackups.None, LastBackups.None);

    public LastBackups Of(BackupSide side) => side == BackupSide.Image ? Image : File;

    /// <summary>When the last backup of exactly this type finished.</summary>
    public DateTimeOffset? At(BackupType type) =>
        type is BackupType.FullFile or BackupType.FullImage ? Of(type.Side()).Full : Of(type.Side()).Incremental;
}
