using Urb.Domain.Errors;
using Urb.Domain.Retention;

namespace Urb.Domain.Settings;

/// <summary>
/// UrBackup's client permissions (allow_*) and internet restrictions, as the server enforces them
/// on the calls an agent makes itself. Backups the server starts are not subject to them.
/// </summary>
public static class ClientPermissions
{
    /// <summary>
    /// Throws <see cref="PermissionDeniedException"/> unless this backup may run: one the client
    /// starts itself needs the allow_* permission of its type (and a file backup its configured
    /// paths); every one obeys the internet restrictions.
    /// </summary>
    public static void EnsureMayStartBackup(
        EffectiveSettings settings, BackupType type, IReadOnlyCollection<string> paths, bool fromInternet, bool startedByServer = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (fromInternet) EnsureAllowedFromInternet(settings, type);
        if (startedByServer) return;
        var allow = BackupTypeSettings.Of(type).AllowStart;
        if (!settings.Bool(allow)) throw Denied($"start {type.Describe()} backups", allow);
        if (type.Side() == BackupSide.File) EnsureConfiguredPaths(settings, paths);
    }

    public static void EnsureMayRestore(EffectiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Bool(SettingCatalog.AllowRestore)) throw Denied("browse or restore its backups", SettingCatalog.AllowRestore);
    }

    /// <summary>Reading the client's own live log (never another client's: the gateway filters by the certificate's client).</summary>
    public static void EnsureMayViewLog(EffectiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Bool(SettingCatalog.AllowViewLog)) throw Denied("read its live log", SettingCatalog.AllowViewLog);
    }

    /// <summary>A pause the agent asks for (or ends) itself; an operator's pause is not subject to it.</summary>
    public static void EnsureMayPause(EffectiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Bool(SettingCatalog.AllowPause)) throw Denied("pause or resume its backups", SettingCatalog.AllowPause);
    }

    /// <summary>UrBackup keeps what reads a whole disk or every file off slow internet links unless the operator allows it.</summary>
    private static void EnsureAllowedFromInternet(EffectiveSettings settings, BackupType type)
    {
        if (type.Side() == BackupSide.Image && !settings.Bool(SettingCatalog.InternetImageBackups))
        {
            throw new PermissionDeniedException(
                $"Image backups are off for clients connecting from the internet ({SettingCatalog.InternetImageBackups}).");
        }
        if (type == BackupType.FullFile && !settings.Bool(SettingCatalog.InternetFullFileBackups))
        {
            throw new PermissionDeniedException(
                $"Full file backups are off for clients connecting from the internet ({SettingCatalog.InternetFullFileBackups}); run an incremental backup.");
        }
    }

    private static void EnsureConfiguredPaths(EffectiveSettings settings, IReadOnlyCollection<string> paths)
    {
        var configured = settings.List(SettingCatalog.BackupPaths);
        if (configured.Count > 0 && !settings.Bool(SettingCatalog.AllowChangePaths)
            && !new HashSet<string>(paths.Select(TrimSeparator), StringComparer.Ordinal).SetEquals(configured.Select(TrimSeparator)))
        {
            throw new PermissionDeniedException(
                $"This client may only back up its configured paths ({string.Join(", ", configured)}); changing them needs {SettingCatalog.AllowChangePaths}.");
        }
    }
    private static string TrimSeparator(string path) => path.Length > 1 ? path.TrimEnd('/', '\\') : path;

    private static PermissionDeniedException Denied(string what, string setting) =>
        new($"This client may not {what} itself ({setting} is false).");
}
