using Urb.Agent.Walk.Linux;
using Urb.Contracts.Snapshot.V1;

namespace Urb.Agent.Restore.Linux;

/// <summary>
/// A directory on the restore's current path: open while entries are written into it, given its
/// metadata and closed when the restore leaves it. One is open per level of the current path, as
/// in the walk. A skipped one (it could not be created, or its type is unknown) has no descriptor,
/// and everything under it is skipped with it.
/// </summary>
internal sealed class RestoredDirectory
{
    private RestoredDirectory(string path, int descriptor, Node? node)
    {
        Path = path;
        Descriptor = descriptor;
        Node = node;
    }

    /// <summary>Relative to the target; "" for the target itself.</summary>
    public string Path { get; }

    public int Descriptor { get; private set; }

    /// <summary>What to apply on leaving; null for a target that no entry describes.</summary>
    public Node? Node { get; set; }

    public bool IsSkipped => Descriptor < 0;

    public static RestoredDirectory Target(int descriptor) => new("", descriptor, null);

    public static RestoredDirectory Opened(string path, int descriptor, Node node) => new(path, descriptor, node);

    public static RestoredDirectory Skipped(string path) => new(path, -1, null);

    public string ChildPath(string name) => Path.Length == 0 ? name : $"{Path}/{name}";

    /// <summary>
    /// Applies the directory's own metadata and closes it. Called once everything inside is written:
    /// creating a child changes the directory's mtime, and a read-only directory cannot take new
    /// children (unless the restore runs as root). Returns what could not be set, or null.
    /// </summary>
    public string? Leave(bool restoreOwner)
    {
        if (IsSkipped) return null;
        var problem = Node is null ? null : NodeMetadata.Apply(Descriptor, Node, restoreOwner);
        Close();
        return problem;
    }

    public void Close()
    {
        if (IsSkipped) return;
        LinuxSyscalls.Close(Descriptor);
        Descriptor = -1;
    }
}
