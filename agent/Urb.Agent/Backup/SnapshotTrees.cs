using Google.Protobuf;
using Urb.Contracts.Snapshot.V1;
using Urb.Contracts.Snapshots;
using Urb.Domain.Content;

namespace Urb.Agent.Backup;

/// <summary>
/// Builds the snapshot's tree objects bottom-up (a directory's ID depends on its children's)
/// and brings the server up to date top-down: a tree the server has is complete below it, so
/// only the trees it lacks are uploaded and only their contents are checked. An unchanged
/// backup therefore costs one query for the root.
/// </summary>
public sealed class SnapshotTrees(BackupPlan plan, byte[] chunkIdKey)
{
    private readonly Dictionary<Node, FileItem> filesByNode = plan.Files.ToDictionary<FileItem, Node, FileItem>(f => f.Node, f => f, ReferenceEqualityComparer.Instance);

    private readonly Dictionary<Node, DirectoryItem> directoriesByNode = plan.Directories
        .ToDictionary<DirectoryItem, Node, DirectoryItem>(d => d.Node, d => d, ReferenceEqualityComparer.Instance);

    public List<TreePart> RootParts { get; private set; } = [];

    /// <summary>Computes every directory's parts and IDs, and the root's. Failed files are left out.</summary>
    public void Build()
    {
        for (var i = plan.Directories.Count - 1; i >= 0; i--)
        {
            var directory = plan.Directories[i];
            directory.Parts = PartsOf(directory.Children);
            directory.Node.SubtreeIds = ByteString.CopyFrom(ChunkId.Pack(directory.Parts.Select(p => p.Id).ToList()));
        }
        RootParts = PartsOf(plan.RootNodes);
    }

    /// <summary>
    /// A snapshot of at most this many tree parts is asked about all at once (8 queries) once its
    /// root turned out to be new; a larger one level by level, which asks only below new trees.
    /// </summary>
    public const int AllAtOnceParts = 8 * ContentUploader.MaxQueryIds;

    /// <summary>
    /// Uploads the trees the server lacks. Returns the files not read in this backup whose chunks
    /// the server no longer has (they must be read again, then <see cref="Build"/> and this
    /// repeated); an empty list means the server has the whole snapshot.
    /// </summary>
    /// <remarks>
    /// A tree the server has implies everything below it, so the root is asked first: an
    /// unchanged snapshot costs one query. Below a new root, asking level by level would cost two
    /// round trips per level of the deepest change (28 for the benchmark's day of changes), so
    /// every tree below is asked at once when they are not too many. A tree found missing below
    /// one the server has is uploaded as well, which only costs its bytes.
    /// </remarks>
    public async Task<List<FileItem>> SyncAsync(ContentUploader uploader)
    {
        var stale = new List<FileItem>();
        var next = await SyncLevelAsync(uploader, RootParts, stale);
        // Every directory's parts bound those below the root from above.
        if (next.Count > 0 && plan.Directories.Sum(d => d.Parts.Count) <= AllAtOnceParts)
        {
            await SyncLevelAsync(uploader, PartsBelow(RootParts), stale);
            return stale;
        }
        while (next.Count > 0) next = await SyncLevelAsync(uploader, next, stale);
        return stale;
    }

    /// <summary>
    /// Asks about <paramref name="parts"/> and uploads those the server lacks; adds to
    /// <paramref name="stale"/> the files under them whose chunks it lost. Returns the parts of
    /// the directories the uploaded ones name, the next level.
    /// </summary>
    private async Task<List<TreePart>> SyncLevelAsync(ContentUploader uploader, List<TreePart> parts, List<FileItem> stale)
    {
        var missing = new HashSet<byte[]>(await uploader.FindMissingAsync(parts.Select(p => p.Id)), ChunkIdComparer.Instance);
        var next = new List<TreePart>();
        var reusedFiles = new List<FileItem>();
        foreach (var part in parts.Where(p => missing.Contains(p.Id)))
        {
            await uploader.UploadAsync(part.Id, part.Bytes, tree: true);
            foreach (var node in part.Tree.Nodes)
            {
                if (directoriesByNode.TryGetValue(node, out var directory)) next.AddRange(directory.Parts);
                else if (filesByNode.TryGetValue(node, out var file) && !file.WasRead) reusedFiles.Add(file);
            }
        }
        stale.AddRange(await FilesWithMissingChunksAsync(uploader, reusedFiles));
        return next;
    }

    /// <summary>The parts of every directory under <paramref name="parts"/>, at any depth.</summary>
    private List<TreePart> PartsBelow(List<TreePart> parts)
    {
        var below = new List<TreePart>();
        var pending = new Stack<TreePart>(parts);
        while (pending.TryPop(out var part))
        {
            foreach (var node in part.Tree.Nodes)
            {
                if (!directoriesByNode.TryGetValue(node, out var directory)) continue;
                below.AddRange(directory.Parts);
                foreach (var child in directory.Parts) pending.Push(child);
            }
        }
        return below;
    }

    /// <summary>Files whose content came from the state database: does the server still have their chunks?</summary>
    private static async Task<List<FileItem>> FilesWithMissingChunksAsync(ContentUploader uploader, List<FileItem> files)
    {
        if (files.Count == 0) return [];
        var missing = new HashSet<byte[]>(
            await uploader.FindMissingAsync(files.SelectMany(f => ChunkId.Unpack(f.Node.ChunkIds.Memory)), reused: true), ChunkIdComparer.Instance);
        if (missing.Count == 0) return [];
        uploader.Forget(missing);
        return files.Where(f => ChunkId.Unpack(f.Node.ChunkIds.Memory).Any(missing.Contains)).ToList();
    }

    private List<TreePart> PartsOf(List<Node> children)
    {
        var kept = children.Where(IsKept).ToList();
        kept.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return TreeRules.SplitIntoParts(kept).Select(tree =>
        {
            var bytes = tree.ToByteArray();
            return new TreePart(ChunkId.Compute(chunkIdKey, bytes), bytes, tree);
        }).ToList();
    }

    private bool IsKept(Node node) => !filesByNode.TryGetValue(node, out var file) || !file.Failed;
}
