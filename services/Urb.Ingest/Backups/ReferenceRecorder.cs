using Google.Protobuf;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Snapshot.V1;
using Urb.Contracts.Snapshots;
using Urb.Domain.Content;
using Urb.Ingest.Snapshots;

namespace Urb.Ingest.Backups;

/// <summary>
/// Records which stored objects a client uses (for usage accounting and quotas), walking a new
/// snapshot only where it is new for this client: a tree the client referenced before is
/// skipped with everything below it (its contents were recorded when it was first used), so an
/// incremental backup costs in proportion to what changed, and a client whose files another
/// client already stored is charged its share without uploading anything.
/// </summary>
public sealed class ReferenceRecorder(DedupIndex.DedupIndexClient index, TreeStore trees)
{
    /// <summary>The index takes at most this many IDs per call.</summary>
    private const int Batch = 65536;

    /// <param name="known">Trees already in hand (those uploaded by the backup), to avoid reading them back.</param>
    public async Task RecordAsync(SnapshotOwner owner, IReadOnlyList<byte[]> rootIds, IReadOnlyDictionary<byte[], Tree> known, CancellationToken cancellationToken)
    {
        var level = rootIds;
        while (level.Count > 0)
        {
            var newTrees = await AddAsync(owner, level, cancellationToken);
            var missing = newTrees.Where(id => !known.ContainsKey(id)).ToList();
            var loaded = await trees.LoadAsync(owner.TenantId, missing, cancellationToken);
            var chunks = new List<byte[]>();
            var next = new List<byte[]>();
            foreach (var id in newTrees)
            {
                var tree = known.TryGetValue(id, out var k) ? k : loaded[id];
                foreach (var node in tree.Nodes)
                {
                    var target = node.Type == NodeType.Directory ? next : chunks;
                    target.AddRange(ChunkId.Unpack(node.Type == NodeType.Directory ? node.SubtreeIds.Memory : node.ChunkIds.Memory));
                }
            }
            await AddAsync(owner, chunks, cancellationToken);
            level = next;
        }
    }

    /// <summary>Adds references; returns the IDs the client did not reference before.</summary>
    private async Task<List<byte[]>> AddAsync(SnapshotOwner owner, IReadOnlyList<byte[]> ids, CancellationToken cancellationToken)
    {
        var added = new List<byte[]>();
        var distinct = ids.Distinct(ChunkIdComparer.Instance).ToList();
        for (var start = 0; start < distinct.Count; start += Batch)
        {
            var batch = distinct.Skip(start).Take(Batch).ToList();
            var packed = ChunkId.Pack(batch);
            var answer = await index.AddReferencesAsync(new ReferencesRequest
            {
                TenantId = owner.TenantId.ToString(),
                ClientId = owner.ClientId.ToString(),
                ChunkIds = UnsafeByteOperations.UnsafeWrap(packed),
            }, cancellationToken: cancellationToken);
            added.AddRange(ChunkId.Unpack(answer.AddedIds.Memory));
        }
        return added;
    }
}
