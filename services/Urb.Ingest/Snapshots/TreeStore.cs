using Urb.Contracts.Snapshot.V1;
using Urb.Contracts.Snapshots;
using Urb.Domain.Content;

namespace Urb.Ingest.Snapshots;

/// <summary>Loads snapshot tree objects, many per round trip.</summary>
public sealed class TreeStore(ChunkSource chunks)
{
    /// <summary>The trees with these IDs, parsed and checked.</summary>
    public async Task<Dictionary<byte[], Tree>> LoadAsync(Guid tenant, IReadOnlyCollection<byte[]> ids, CancellationToken cancellationToken)
    {
        var trees = new Dictionary<byte[], Tree>(ChunkIdComparer.Instance);
        if (ids.Count == 0) return trees;
        var objects = await chunks.ReadWholeAsync(tenant, ids.Distinct(ChunkIdComparer.Instance).ToList(), cancellationToken);
        foreach (var (id, data) in objects)
        {
            trees[id] = TreeRules.Parse(data, $"tree {ChunkId.ToHex(id)}");
        }
        return trees;
    }

    /// <summary>
    /// Refuses any of these stored objects that is not a tree. The index marks the trees ingest
    /// checked on upload, so a marked one is not read back; an unmarked one (content, or a tree
    /// stored before the index kept the mark) is read and must parse as a tree.
    /// </summary>
    public async Task RequireTreesAsync(Guid tenant, IReadOnlyList<byte[]> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return;
        var unmarked = (await chunks.LocateAsync(tenant, ids, cancellationToken))
            .Where(location => !location.Tree).Select(location => location.ChunkId.ToByteArray()).ToList();
        await LoadAsync(tenant, unmarked, cancellationToken);
    }

    /// <summary>The nodes of a directory stored as these parts, in name order.</summary>
    public async Task<List<Node>> LoadNodesAsync(Guid tenant, ReadOnlyMemory<byte> partIds, CancellationToken cancellationToken)
    {
        var ids = ChunkId.Unpack(partIds);
        var trees = await LoadAsync(tenant, ids, cancellationToken);
        return ids.SelectMany(id => trees[id].Nodes).ToList();
    }
}
