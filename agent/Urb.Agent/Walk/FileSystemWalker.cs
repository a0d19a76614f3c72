using Urb.Agent.Walk.Linux;

namespace Urb.Agent.Walk;

/// <summary>
/// Walks the paths a file backup covers (step 1 of the backup's data path, docs: DESIGN.md):
/// depth-first, each directory's entry before its children, children in ordinal order of their
/// UTF-8 names, so two walks of an unchanged tree give the same sequence. Symlinks are recorded,
/// not followed, unless the root says so; other filesystems are not entered unless the root says
/// so; the walk ends on any tree, cycles included. Problems with single paths become
/// <see cref="FileSystemWalk.Warnings"/> and the walk goes on.
/// </summary>
public static class FileSystemWalker
{
    /// <summary>
    /// Checks the options and prepares the walk; nothing is read until
    /// <see cref="FileSystemWalk.Entries"/> is enumerated.
    /// </summary>
    /// <exception cref="ArgumentException">No roots, an empty root path, or a bad pattern.</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux: the Windows walk (FindFirstFileEx, file IDs, reparse points) is not written yet.</exception>
    public static FileSystemWalk Walk(WalkOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Roots);
        if (options.Roots.Count == 0) throw new ArgumentException("At least one root is needed.", nameof(options));
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The file system walk is implemented for Linux only.");
        }
        var roots = options.Roots.Select((root, index) => PreparedRoot.Create(index, root)).ToList();
        return new FileSystemWalk(warnings => new LinuxTreeWalker(warnings).Walk(roots, cancellationToken));
    }
}
