using Urb.Agent.State;
using Urb.Contracts.Snapshot.V1;

namespace Urb.Agent.Backup;

/// <summary>A directory of the snapshot being built: its own node (in its parent) and its children.</summary>
public sealed class DirectoryItem(string snapshotPath, Node node)
{
    public string SnapshotPath { get; } = snapshotPath;

    /// <summary>This directory's entry in its parent; its subtree IDs are set when its tree is built.</summary>
    public Node Node { get; } = node;

    public List<Node> Children { get; } = [];

    /// <summary>The tree parts of its contents, once built.</summary>
    public List<TreePart> Parts { get; set; } = [];
}

/// <summary>A backed-up path (a directory, a file, a volume) and its name at the snapshot's root.</summary>
public sealed record PlanRoot(string AbsolutePath, string Name)
{
    /// <summary>Where a snapshot path below this root is on this machine (as the walk joins them).</summary>
    public string AbsolutePathOf(string snapshotPath)
    {
        if (snapshotPath.Length == Name.Length) return AbsolutePath;
        var below = snapshotPath.AsSpan(Name.Length + 1);
        return AbsolutePath.EndsWith('/') ? string.Concat(AbsolutePath, below) : string.Concat(AbsolutePath, "/", below);
    }
}

/// <summary>A regular file of the snapshot (or a second name of one).</summary>
/// <remarks>
/// It keeps one path, the snapshot's, and makes the path on this machine from it when asked: a
/// plan of many files holds one string per file less (docs/architecture.md, "The agent's memory").
/// </remarks>
public sealed class FileItem(PlanRoot root, string snapshotPath, Node node, FileStamp stamp)
{
    /// <summary>The root's name, then the path below the root ('/'-separated).</summary>
    public string SnapshotPath { get; } = snapshotPath;

    public string AbsolutePath => root.AbsolutePathOf(SnapshotPath);

    /// <summary>Its entry in its directory; the chunk list is set once known.</summary>
    public Node Node { get; } = node;

    public FileStamp Stamp { get; } = stamp;

    /// <summary>Its content must be read (new, changed, a full backup, or its chunks went missing on the server).</summary>
    public bool NeedsRead { get; set; }

    /// <summary>The state database knew this path (so a read means it changed, not that it is new).</summary>
    public bool IsKnownPath { get; set; }

    /// <summary>Read during this backup: its state row is renewed.</summary>
    public bool WasRead { get; set; }

    /// <summary>Reading failed; it is left out of the snapshot with a warning.</summary>
    public bool Failed { get; set; }

    /// <summary>For a second name of a file: the first one, whose content it shares.</summary>
    public FileItem? HardLinkOf { get; init; }
}

/// <summary>One serialized part of a directory's listing, with its ID.</summary>
public sealed record TreePart(byte[] Id, byte[] Bytes, Tree Tree);
