using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Domain.Paths;
using Urb.Ingest.Data;

namespace Urb.Ingest.Snapshots;

/// <summary>Finds paths in a snapshot and walks its subtrees, loading trees a level at a time.</summary>
public sealed class SnapshotReader(TreeStore trees)
{
    /// <summary>The node at a '/'-separated path of the snapshot; the root (path "") is a directory node without a name.</summary>
    public async Task<Node> FindAsync(BackupRecord snapshot, string path, CancellationToken cancellationToken)
    {
        var node = new Node { Type = NodeType.Directory, SubtreeIds = BackupCatalog.RootIds(snapshot) };
        if (string.IsNullOrEmpty(path)) return node;
        var walked = "";
        foreach (var name in RelativePath.Split(path, "path"))
        {
            if (node.Type != NodeType.Directory) throw new NotFoundException($"'{walked}' in backup {snapshot.Id} is not a directory.");
            var children = await trees.LoadNodesAsync(snapshot.TenantId, node.SubtreeIds.Memory, cancellationToken);
            walked = walked.Length == 0 ? name : $"{walked}/{name}";
            node = children.Find(c => c.Name == name) ?? throw new NotFoundException($"Backup {snapshot.Id} has no '{walked}'.");
        }
        return node;
    }

    /// <summary>The direct children of a directory node, in name order.</summary>
    public Task<List<Node>> WalkChildrenAsync(Guid tenant, Node directory, CancellationToken cancellationToken) =>
        trees.LoadNodesAsync(tenant, directory.SubtreeIds.Memory, cancellationToken);

    /// <summary>
    /// Every node below a directory, depth first (a directory before its contents, children in
    /// name order), with paths relative to it. Trees are loaded a whole level per round trip.
    /// </summary>
    public async Task<List<(string Path, Node Node)>> WalkAsync(Guid tenant, Node directory, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<byte[], Tree>(ChunkIdComparer.Instance);
        var level = ChunkId.Unpack(directory.SubtreeIds.Memory);
        while (level.Count > 0)
        {
            var found = await trees.LoadAsync(tenant, level.Where(id => !loaded.ContainsKey(id)).ToList(), cancellationToken);
            foreach (var (id, tree) in found) loaded[id] = tree;
            level = found.Values
                .SelectMany(t => t.Nodes)
                .Where(n => n.Type == NodeType.Directory)
                .SelectMany(n => ChunkId.Unpack(n.SubtreeIds.Memory))
                .Where(id => !loaded.ContainsKey(id))
                .Distinct(ChunkIdComparer.Instance)
                .ToList();
        }
        var entries = new List<(string, Node)>();
        AddChildren(directory, "", loaded, entries);
        return entries;
    }

    private static void AddChildren(Node directory, string prefix, Dictionary<byte[], Tree> loaded, List<(string, Node)> entries)
    {
        foreach (var part in ChunkId.Unpack(directory.SubtreeIds.Memory))
        {
            foreach (var child in loaded[part].Nodes)
            {
                var path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
                entries.Add((path, child));
                if (child.Type == NodeType.Directory) AddChildren(child, path, loaded, entries);
            }
        }
    }
}
