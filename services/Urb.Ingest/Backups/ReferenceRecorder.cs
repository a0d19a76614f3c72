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
    /// <param name="read">
    /// What the backup read. A file's chunks are offered only if they are in it; the others belong
    /// to files the agent did not read, unchanged since a snapshot of this client that named the
    /// same chunks, so the client has their references already. A changed directory lists all its
    /// files again: the commit of the benchmark's day of changes named some 14,000 chunks, of which
    /// a few hundred were new to the client. Where the client no longer has one (a collection
    /// removed it meanwhile, an agent enrolled anew kept an earlier client's state, or an agent said
    /// wrongly that it did not read it), the next collection adds it back from its marks, as it
    /// does for any reference; references are usage accounting only.
    /// </param>
    /// <remarks>
    /// A tree the backup uploaded was missing for the tenant, so it is new for the client as well:
    /// it and everything below it that was uploaded too are walked here without asking the index,
    /// and all their references go in one batch at the end. Only the subtrees the backup did not
    /// upload are asked about (all of them at once, per round), and only those new for the client
    /// are read back and walked. An incremental backup thus takes two or three calls to the index,
    /// not two per level of its deepest changed directory.
    /// </remarks>
    public async Task RecordAsync(
        SnapshotOwner owner, IReadOnlyList<byte[]> rootIds, IReadOnlyDictionary<byte[], Tree> known, ContentSeen read, CancellationToken cancellationToken)
    {
        var references = new List<byte[]>();
        var reached = new HashSet<byte[]>(ChunkIdComparer.Instance);
        var toWalk = new Stack<Tree>();
        var notUploaded = new List<byte[]>();
        void Reach(byte[] id)
        {
            if (!reached.Add(id)) return;
            if (known.TryGetValue(id, out var tree))
            {
                references.Add(id);
                toWalk.Push(tree);
            }
            else
            {
                notUploaded.Add(id);
            }
        }

        foreach (var id in rootIds) Reach(id);
        while (true)
        {
            while (toWalk.TryPop(out var tree))
            {
                foreach (var node in tree.Nodes)
                {
                    if (node.Type == NodeType.Directory)
                    {
                        foreach (var subtree in ChunkId.Unpack(node.SubtreeIds.Memory)) Reach(subtree);
                    }
                    else
                    {
                        references.AddRange(ChunkId.Unpack(node.ChunkIds.Memory).Where(read.Contains));
                    }
                }
            }
            if (notUploaded.Count == 0) break;
            // Referencing them answers which are new for the client; the others' contents were recorded when first used.
            var newForClient = await AddAsync(owner, notUploaded, cancellationToken);
            notUploaded.Clear();
            var loaded = await trees.LoadAsync(owner.TenantId, newForClient, cancellationToken);
            foreach (var id in newForClient) toWalk.Push(loaded[id]);
        }
        await AddAsync(owner, references, cancellationToken);
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
