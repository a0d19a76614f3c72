namespace Urb.Agent.Walk;

/// <summary>What to walk: the configured backup paths, each with its own rules.</summary>
public sealed record WalkOptions(IReadOnlyList<WalkRoot> Roots);

/// <summary>
/// One configured path. The root path itself is always resolved (a root that is a symlink to a
/// directory walks that directory); the rules below apply to everything found beneath it.
/// </summary>
/// <remarks>
/// Patterns (see <see cref="Patterns.PathPattern"/>): <c>*</c> and <c>?</c> within one name,
/// <c>**</c> across directories; matched against the path relative to the root, or against the
/// absolute path when the pattern starts with '/'. Matching is ordinal and case-sensitive, as Linux
/// names are; a Windows walk would match case-insensitively.
/// </remarks>
public sealed record WalkRoot(string Path)
{
    /// <summary>Follow symlinks (on Windows: junctions and other reparse points) below this root.
    /// Default false: links are recorded as links. When true, cycles are detected and not followed.</summary>
    public bool FollowSymlinks { get; init; }

    /// <summary>Descend into other filesystems mounted below the root. Default false: a mount point
    /// is reported as <see cref="WalkEntryKind.Skipped"/>.</summary>
    public bool CrossFilesystems { get; init; }

    /// <summary>When not empty, only entries matching one of these (or lying in a directory that
    /// matches) are reported; directories are still descended where a pattern could match below.</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];

    /// <summary>Entries matching any of these are left out; an excluded directory is not descended.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
}
