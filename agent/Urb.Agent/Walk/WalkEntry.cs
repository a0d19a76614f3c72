namespace Urb.Agent.Walk;

/// <summary>One path found by the walk, in walk order.</summary>
/// <param name="RootIndex">Which of <see cref="WalkOptions.Roots"/> it was found under.</param>
/// <param name="RelativePath">The path below the root, '/'-separated on every platform; empty for the root itself.</param>
/// <param name="AbsolutePath">The root's full path joined with <paramref name="RelativePath"/>.</param>
/// <param name="Metadata">Without following links, unless this entry is a symlink the root follows.</param>
public sealed record WalkEntry(int RootIndex, string RelativePath, string AbsolutePath, WalkEntryKind Kind, FileMetadata Metadata)
{
    /// <summary>The link's target text exactly as stored (it may be relative, or point nowhere); only on symlinks.</summary>
    public string? SymlinkTarget { get; init; }

    /// <summary>For <see cref="WalkEntryKind.HardLink"/>: the first entry of this walk with the same (device, inode).</summary>
    public WalkEntry? HardLinkOf { get; init; }

    /// <summary>Why an entry was skipped or a symlink was not followed, for the caller to report.</summary>
    public string? Note { get; init; }

    /// <summary>The last part of the path; empty for a root.</summary>
    public string Name => RelativePath[(RelativePath.LastIndexOf('/') + 1)..];
}
