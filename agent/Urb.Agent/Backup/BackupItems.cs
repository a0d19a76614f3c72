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

/// <summary>A regular file of the snapshot (or a second name of one).</summary>
public sealed class FileItem(string snapshotPath, string absolutePath, Node node, FileStamp stamp)
{
    public string SnapshotPath { get; } = snapshotPath;
    public string AbsolutePath { get; } = absolutePath;

    /// <summary>Its entry in its directory; the chunk list is set once known.</summary>
    public Node Node { get; } = node;

    public FileStamp Stamp { get; } = stamp;

    /// <summary>Its content must be read (new, changed, a full backup, or its chunks went missing on the server).</summary>
    public bool NeedsRead { get; set; }

    /// <summary>The state database knew this path (so a read means it changed, not that it is new).</summary>
    public bool IsKnownPath { get; init; }

    /// <summary>Read during this backup: its state row is renewed.</summary>
    public bool WasRead { get; set; }

    /// <summary>Reading failed; it is left out of the snapshot with a warning.</summary>
    public bool Failed { get; set; }

    /// <summary>For a second name of a file: the first one, whose content it shares.</summary>
    public FileItem? HardLinkOf { get; init; }
}

/// <summary>One serialized part of a directory's listing, with its ID.</summary>
public sealed record TreePart(byte[] Id, byte[] Bytes, Tree Tree);
