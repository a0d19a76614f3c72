using Grpc.Core;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Ingest.Snapshots;

namespace Urb.Ingest.Garbage;

/// <summary>
/// Finds every object reachable from some trees: the trees below them and the chunks of their
/// files. A level of trees per round trip; trees already parsed in this run (shared by clients and
/// snapshots) are taken from the run's cache and not read again.
/// </summary>
public sealed class ObjectWalker(TreeStore trees)
{
    /// <param name="tenant">Whose objects.</param>
    /// <param name="roots">Tree IDs to start from (reached themselves).</param>
    /// <param name="cache">Parsed trees of this run, filled as trees are read.</param>
    /// <param name="skip">Objects not to enter (already reached by an earlier walk, with all below them).</param>
    /// <param name="tolerateMissing">
    /// False for snapshots: a tree that cannot be read fails the walk (and the run deletes nothing).
    /// True for trees outside any snapshot: one that is gone or damaged is a leaf.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<HashSet<byte[]>> ReachAsync(
        Guid tenant, IEnumerable<byte[]> roots, Dictionary<byte[], Tree> cache, IReadOnlySet<byte[]>? skip, bool tolerateMissing,
        CancellationToken cancellationToken)
    {
        var reached = new HashSet<byte[]>(ChunkIdComparer.Instance);
        // Separate from reached: a file chunk that happens to be byte-identical to a tree is still entered as a tree.
        var entered = new HashSet<byte[]>(ChunkIdComparer.Instance);
        var level = roots.Where(id => skip?.Contains(id) != true && entered.Add(id)).ToList();
        reached.UnionWith(level);
        while (level.Count > 0)
        {
            await LoadAsync(tenant, level.Where(id => !cache.ContainsKey(id)).ToList(), cache, tolerateMissing, cancellationToken);
            var next = new List<byte[]>();
            foreach (var id in level)
            {
                if (!cache.TryGetValue(id, out var tree)) continue;
                foreach (var node in tree.Nodes)
                {
                    var directory = node.Type == NodeType.Directory;
                    foreach (var child in ChunkId.Unpack((directory ? node.SubtreeIds : node.ChunkIds).Memory))
                    {
                        if (skip?.Contains(child) == true) continue;
                        reached.Add(child);
                        if (directory && entered.Add(child)) next.Add(child);
                    }
                }
            }
            level = next;
        }
        return reached;
    }

    private async Task LoadAsync(Guid tenant, List<byte[]> ids, Dictionary<byte[], Tree> cache, bool tolerateMissing, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return;
        try
        {
            foreach (var (id, tree) in await trees.LoadAsync(tenant, ids, cancellationToken)) cache[id] = tree;
        }
        catch (Exception e) when (tolerateMissing && ids.Count > 1 && IsUnreadable(e))
        {
            // One bad tree fails the batch: read them one by one and leave out the bad ones.
            foreach (var id in ids) await LoadAsync(tenant, [id], cache, tolerateMissing, cancellationToken);
        }
        catch (Exception e) when (tolerateMissing && IsUnreadable(e))
        {
            // A single tree that is gone or damaged: a leaf.
        }
    }

    private static bool IsUnreadable(Exception e) =>
        e is InvalidInputException || (e is RpcException r && r.StatusCode is StatusCode.NotFound or StatusCode.DataLoss);
}
