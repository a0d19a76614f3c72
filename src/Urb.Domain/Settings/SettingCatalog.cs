using Urb.Domain.Errors;

namespace Urb.Domain.Settings;

/// <summary>
/// Every setting the server knows, with UrBackup's defaults where UrBackup has the same setting.
/// A setting is added with the feature that acts on it, so none exists that does nothing.
/// Settings are layered: global, then tenant, then client; the most specific layer that sets a
/// value wins, and list settings can add to the inherited list instead (see <see cref="EffectiveSettings"/>).
/// </summary>
public static class SettingCatalog
{
    public const string BackupPaths = "backup_paths";
    public const string Exclude = "exclude";
    public const string Include = "include";
    public const string ImageVolumes = "image_volumes";

    public const string AllowStartFullFileBackup = "allow_start_full_file_backup";
    public const string AllowStartIncrementalFileBackup = "allow_start_incremental_file_backup";
    public const string AllowStartFullImageBackup = "allow_start_full_image_backup";
    public const string AllowStartIncrementalImageBackup = "allow_start_incremental_image_backup";
    public const string AllowRestore = "allow_restore";
    public const string AllowChangePaths = "allow_change_paths";
    public const string AllowViewLog = "allow_view_log";
    public const string AllowPause = "allow_pause";

    public const string InternetFullFileBackups = "internet_full_file_backups";
    public const string InternetImageBackups = "internet_image_backups";
    public const string BandwidthLimit = "bandwidth_limit";
    public const string GlobalBandwidthLimit = "global_bandwidth_limit";

    public const string IncrementalFileInterval = "incremental_file_interval";
    public const string FullFileInterval = "full_file_interval";
    public const string IncrementalFileWindow = "incremental_file_window";
    public const string FullFileWindow = "full_file_window";
    public const string IncrementalImageInterval = "incremental_image_interval";
    public const string FullImageInterval = "full_image_interval";
    public const string IncrementalImageWindow = "incremental_image_window";
    public const string FullImageWindow = "full_image_window";
    public const string MaxRunningJobs = "max_running_jobs";

    public const string CleanupWindow = "cleanup_window";
    public const string MinIncrementalFileBackups = "min_incremental_file_backups";
    public const string MaxIncrementalFileBackups = "max_incremental_file_backups";
    public const string MinFullFileBackups = "min_full_file_backups";
    public const string MaxFullFileBackups = "max_full_file_backups";
    public const string MinIncrementalImageBackups = "min_incremental_image_backups";
    public const string MaxIncrementalImageBackups = "max_incremental_image_backups";
    public const string MinFullImageBackups = "min_full_image_backups";
    public const string MaxFullImageBackups = "max_full_image_backups";
    public const string RetentionGfs = "retention_gfs";
    public const string SoftClientQuota = "soft_client_quota";
    public const string GlobalSoftQuota = "global_soft_quota";
    public const string ArchiveRules = "archive_rules";

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        List(BackupPaths, "Directories a file backup covers (absolute paths on the client)"),
        List(Exclude, "Wildcard patterns of paths left out of file backups"),
        List(Include, "Wildcard patterns of paths a file backup is limited to (empty: everything)"),
        List(ImageVolumes, "Volumes an image backup covers: block devices or files holding a volume (absolute paths on the client); empty: no image backups"),

        Text(AllowStartFullFileBackup, SettingKind.Bool, "true", "The client may start full file backups itself"),
        Text(AllowStartIncrementalFileBackup, SettingKind.Bool, "true", "The client may start incremental file backups itself"),
        Text(AllowStartFullImageBackup, SettingKind.Bool, "true", "The client may start full image backups itself"),
        Text(AllowStartIncrementalImageBackup, SettingKind.Bool, "true", "The client may start incremental image backups itself"),
        Text(AllowRestore, SettingKind.Bool, "true", "The client may browse its backups and restore from them"),
        Text(AllowChangePaths, SettingKind.Bool, "true", "The client may back up other paths than the configured ones"),
        Text(AllowViewLog, SettingKind.Bool, "true", "The client may read its own live log (agent `log`)"),
        Text(AllowPause, SettingKind.Bool, "true", "The client may pause its backups (agent `pause`)"),

        Text(InternetFullFileBackups, SettingKind.Bool, "false", "Full file backups also for clients connecting from the internet"),
        Text(InternetImageBackups, SettingKind.Bool, "false", "Image backups (full and incremental) also for clients connecting from the internet"),
        Text(BandwidthLimit, SettingKind.Bandwidth, "0", "Upload limit of a client in Mbit/s (0: none), or a percentage of the global limit; may depend on the time: 60;10@Mon-Fri/8-18"),
        Text(GlobalBandwidthLimit, SettingKind.Bandwidth, "0", "Upload limit of all clients together in Mbit/s (0: none); may depend on the time", globalOnly: true),

        Text(IncrementalFileInterval, SettingKind.Interval, "5h", "Start an incremental file backup this long after the last file backup (90min, 5h, 2d; off); may depend on the time"),
        Text(FullFileInterval, SettingKind.Interval, "30d", "Start a full file backup this long after the last full one (off: never scheduled); may depend on the time"),
        Text(IncrementalFileWindow, SettingKind.Window, "1-7/0-24", "When the server may start incremental file backups (1-5/8-19;6,7/0-24); backups a client starts itself ignore it"),
        Text(FullFileWindow, SettingKind.Window, "1-7/0-24", "When the server may start full file backups"),
        Text(IncrementalImageInterval, SettingKind.Interval, "7d", "Start an incremental image backup this long after the last image backup (off: never scheduled); may depend on the time"),
        Text(FullImageInterval, SettingKind.Interval, "60d", "Start a full image backup this long after the last full one (off: never scheduled); may depend on the time"),
        Text(IncrementalImageWindow, SettingKind.Window, "1-7/0-24", "When the server may start incremental image backups"),
        Text(FullImageWindow, SettingKind.Window, "1-7/0-24", "When the server may start full image backups"),
        Text(MaxRunningJobs, SettingKind.Count, "10", "How many backups the server starts at once, over all clients", globalOnly: true),

        Text(CleanupWindow, SettingKind.Window, "1-7/3-4", "When the nightly cleanup (retention, quotas, archival, garbage collection) runs", globalOnly: true),
        Text(MinIncrementalFileBackups, SettingKind.Count, "40", "Incremental file backups the cleanup always keeps"),
        Text(MaxIncrementalFileBackups, SettingKind.Count, "100", "Incremental file backups kept at most (ignored with retention_gfs)"),
        Text(MinFullFileBackups, SettingKind.Count, "2", "Full file backups the cleanup always keeps"),
        Text(MaxFullFileBackups, SettingKind.Count, "10", "Full file backups kept at most (ignored with retention_gfs)"),
        Text(MinIncrementalImageBackups, SettingKind.Count, "4", "Incremental image backups the cleanup always keeps"),
        Text(MaxIncrementalImageBackups, SettingKind.Count, "30", "Incremental image backups kept at most (ignored with retention_gfs)"),
        Text(MinFullImageBackups, SettingKind.Count, "2", "Full image backups the cleanup always keeps"),
        Text(MaxFullImageBackups, SettingKind.Count, "5", "Full image backups kept at most (ignored with retention_gfs)"),
        Text(RetentionGfs, SettingKind.Gfs, "", "Keep the newest backup of each of the last days, weeks, months, years (daily 7, weekly 4, monthly 12, yearly 3) instead of the max counts; empty: by count"),
        Text(SoftClientQuota, SettingKind.Quota, "", "Soft quota of a client (20G, 500M, 10% of the storage); above it the cleanup deletes its oldest backups down to the min counts; empty: none"),
        Text(GlobalSoftQuota, SettingKind.Quota, "", "Soft quota of all clients together; empty: none", globalOnly: true),
        List(ArchiveRules, "Archival rules (every 7d keep 30d of full-file): archived backups are never cleaned up", SettingKind.ArchivalRules),
    ];

    private static readonly Dictionary<string, SettingDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    public static SettingDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The definition of a key, or <see cref="InvalidInputException"/> for an unknown one.</summary>
    public static SettingDefinition Get(string key) =>
        Find(key) ?? throw new InvalidInputException("key", $"There is no setting '{key}'.");

    private static SettingDefinition Text(string key, SettingKind kind, string defaultText, string description, bool globalOnly = false) =>
        new(key, kind, SettingValue.Of(defaultText), description, globalOnly);

    private static SettingDefinition List(string key, string description, SettingKind kind = SettingKind.List) =>
        new(key, kind, SettingValue.OfList([]), description);
}
