using Urb.Domain.Errors;

namespace Urb.Domain.Settings;

/// <summary>
/// UrBackup's client permissions (allow_*) and internet restrictions, as the server enforces them
/// on the calls an agent makes itself. Backups the server starts are not subject to them.
/// </summary>
public static class ClientPermissions
{
    /// <summary>
    /// Throws <see cref="PermissionDeniedException"/> unless this file backup may run: one the
    /// client starts itself needs its allow_* permissions; every one obeys the internet restrictions.
    /// </summary>
    public static void EnsureMayStartFileBackup(
        EffectiveSettings settings, bool full, IReadOnlyCollection<string> paths, bool fromInternet, bool startedByServer = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (full && fromInternet && !settings.Bool(SettingCatalog.InternetFullFileBackups))
        {
            throw new PermissionDeniedException(
                $"Full file backups are off for clients connecting from the internet ({SettingCatalog.InternetFullFileBackups}); run an incremental backup.");
        }
        if (startedByServer) return;
        if (full && !settings.Bool(SettingCatalog.AllowStartFullFileBackup))
        {
            throw Denied("start full file backups", SettingCatalog.AllowStartFullFileBackup);
        }
        if (!full && !settings.Bool(SettingCatalog.AllowStartIncrementalFileBackup))
        {
            throw Denied("start incremental file backups", SettingCatalog.AllowStartIncrementalFileBackup);
        }
        var configured = settings.List(SettingCatalog.BackupPaths);
        if (configured.Count > 0 && !settings.Bool(SettingCatalog.AllowChangePaths)
            && !new HashSet<string>(paths.Select(TrimSeparator), StringComparer.Ordinal).SetEquals(configured.Select(TrimSeparator)))
        {
            throw new PermissionDeniedException(
                $"This client may only back up its configured paths ({string.Join(", ", configured)}); changing them needs {SettingCatalog.AllowChangePaths}.");
        }
    }

    public static void EnsureMayRestore(EffectiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Bool(SettingCatalog.AllowRestore)) throw Denied("browse or restore its backups", SettingCatalog.AllowRestore);
    }

    private static string TrimSeparator(string path) => path.Length > 1 ? path.TrimEnd('/', '\\') : path;

    private static PermissionDeniedException Denied(string what, string setting) =>
        new($"This client may not {what} itself ({setting} is false).");
}
