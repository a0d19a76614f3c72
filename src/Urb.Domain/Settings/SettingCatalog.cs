using Urb.Domain.Errors;

namespace Urb.Domain.Settings;

/// <summary>
/// Every setting the server knows, with UrBackup's defaults where UrBackup has the same setting.
/// A setting is added with the feature that acts on it (schedules, image backups, pausing and the
/// log come with theirs), so none exists that does nothing.
/// Settings are layered: global, then tenant, then client; the most specific layer that sets a
/// value wins, and list settings can add to the inherited list instead (see <see cref="EffectiveSettings"/>).
/// </summary>
public static class SettingCatalog
{
    public const string BackupPaths = "backup_paths";
    public const string Exclude = "exclude";
    public const string Include = "include";

    public const string AllowStartFullFileBackup = "allow_start_full_file_backup";
    public const string AllowStartIncrementalFileBackup = "allow_start_incremental_file_backup";
    public const string AllowRestore = "allow_restore";
    public const string AllowChangePaths = "allow_change_paths";

    public const string InternetFullFileBackups = "internet_full_file_backups";
    public const string BandwidthLimit = "bandwidth_limit";
    public const string GlobalBandwidthLimit = "global_bandwidth_limit";

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        List(BackupPaths, "Directories a file backup covers (absolute paths on the client)"),
        List(Exclude, "Wildcard patterns of paths left out of file backups"),
        List(Include, "Wildcard patterns of paths a file backup is limited to (empty: everything)"),

        Text(AllowStartFullFileBackup, SettingKind.Bool, "true", "The client may start full file backups itself"),
        Text(AllowStartIncrementalFileBackup, SettingKind.Bool, "true", "The client may start incremental file backups itself"),
        Text(AllowRestore, SettingKind.Bool, "true", "The client may browse its backups and restore from them"),
        Text(AllowChangePaths, SettingKind.Bool, "true", "The client may back up other paths than the configured ones"),

        Text(InternetFullFileBackups, SettingKind.Bool, "false", "Full file backups also for clients connecting from the internet"),
        Text(BandwidthLimit, SettingKind.Bandwidth, "0", "Upload limit of a client in Mbit/s (0: none), or a percentage of the global limit; may depend on the time: 60;10@Mon-Fri/8-18"),
        Text(GlobalBandwidthLimit, SettingKind.Bandwidth, "0", "Upload limit of all clients together in Mbit/s (0: none); may depend on the time", globalOnly: true),
    ];

    private static readonly Dictionary<string, SettingDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    public static SettingDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The definition of a key, or <see cref="InvalidInputException"/> for an unknown one.</summary>
    public static SettingDefinition Get(string key) =>
        Find(key) ?? throw new InvalidInputException("key", $"There is no setting '{key}'.");

    private static SettingDefinition Text(string key, SettingKind kind, string defaultText, string description, bool globalOnly = false) =>
        new(key, kind, SettingValue.Of(defaultText), description, globalOnly);

    private static SettingDefinition List(string key, string description) =>
        new(key, SettingKind.List, SettingValue.OfList([]), description);
}
