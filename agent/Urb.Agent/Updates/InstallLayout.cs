namespace Urb.Agent.Updates;

/// <summary>
/// How an installed agent lies on disk, so that an update can put a new version beside the old
/// one and switch between them in one step:
/// <code>
/// ROOT/current -> versions/0.2.0     (a relative symlink; the service runs ROOT/current/Urb.Agent)
/// ROOT/versions/0.1.0/               (the previous version, kept for going back by hand)
/// ROOT/versions/0.2.0/
/// </code>
/// The symlink is resolved when the agent starts, so a running agent's own
/// directory is ROOT/versions/X: switching <c>current</c> never changes the files under a
/// running process.
/// </summary>
public sealed class InstallLayout
{
    public const string CurrentName = "current";
    public const string VersionsName = "versions";

    public InstallLayout(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Versions => Path.Combine(Root, VersionsName);

    public string Current => Path.Combine(Root, CurrentName);

    public string VersionDirectory(string version) => Path.Combine(Versions, version);

    /// <summary>The name of the version <c>current</c> points at, or null when it is not a link into versions/.</summary>
    public string? CurrentVersionName()
    {
        var target = new FileInfo(Current).LinkTarget;
        if (string.IsNullOrEmpty(target)) return null;
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target, Root));
        return Path.GetDirectoryName(full) == Versions ? Path.GetFileName(full) : null;
    }

    /// <summary>
    /// The layout the running agent was started from: its directory must be ROOT/versions/X and
    /// ROOT/current a symlink. Null for any other place (a build output, the local stack's
    /// published copy), which an update never writes to.
    /// </summary>
    public static InstallLayout? OfRunningAgent() => Of(AppContext.BaseDirectory);

    public static InstallLayout? Of(string programDirectory)
    {
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(programDirectory));
        var versions = Path.GetDirectoryName(directory);
        if (versions is null || Path.GetFileName(versions) != VersionsName) return null;
        var root = Path.GetDirectoryName(versions);
        if (root is null) return null;
        var layout = new InstallLayout(root);
        return new FileInfo(layout.Current).LinkTarget is null ? null : layout;
    }
}
