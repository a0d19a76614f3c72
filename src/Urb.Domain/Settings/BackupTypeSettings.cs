using Urb.Domain.Retention;

namespace Urb.Domain.Settings;

/// <summary>
/// The settings that act on one type of backup: the permission to start it, when the server
/// starts it and how many the cleanup keeps. Image and file backups follow the same rules with
/// their own settings, so every rule reads its keys here instead of naming them per type.
/// </summary>
public sealed record BackupTypeSettings(string AllowStart, string Interval, string Window, string MinCount, string MaxCount)
{
    public static BackupTypeSettings Of(BackupType type) => type switch
    {
        BackupType.IncrementalFile => new(SettingCatalog.AllowStartIncrementalFileBackup, SettingCatalog.IncrementalFileInterval,
            SettingCatalog.IncrementalFileWindow, SettingCatalog.MinIncrementalFileBackups, SettingCatalog.MaxIncrementalFileBackups),
        BackupType.FullFile => new(SettingCatalog.AllowStartFullFileBackup, SettingCatalog.FullFileInterval,
            SettingCatalog.FullFileWindow, SettingCatalog.MinFullFileBackups, SettingCatalog.MaxFullFileBackups),
        BackupType.IncrementalImage => new(SettingCatalog.AllowStartIncrementalImageBackup, SettingCatalog.IncrementalImageInterval,
            SettingCatalog.IncrementalImageWindow, SettingCatalog.MinIncrementalImageBackups, SettingCatalog.MaxIncrementalImageBackups),
        BackupType.FullImage => new(SettingCatalog.AllowStartFullImageBackup, SettingCatalog.FullImageInterval,
            SettingCatalog.FullImageWindow, SettingCatalog.MinFullImageBackups, SettingCatalog.MaxFullImageBackups),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown backup type"),
    };
}
