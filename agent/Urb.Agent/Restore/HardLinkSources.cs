using Google.Protobuf;
using Urb.Agent.Walk;
using Urb.Contracts.Snapshot.V1;

namespace Urb.Agent.Restore;

/// <summary>
/// The files written so far that had more than one name when backed up, by the (device, inode)
/// they had then. A later file with the same pair becomes a hard link to the first one only if its
/// content is the same too: a file changed between the backup reading its two names must not have
/// one version silently replace the other.
/// </summary>
internal sealed class HardLinkSources
{
    private readonly Dictionary<FileIdentity, List<HardLinkSource>> _sources = [];

    /// <summary>An earlier file this one is another name of, if any.</summary>
    public HardLinkSource? Find(Node node)
    {
        if (!IsCandidate(node) || !_sources.TryGetValue(OriginalIdentity(node), out var sources)) return null;
        return sources.Find(source => source.Size == node.Size && source.ChunkIds.Equals(node.ChunkIds));
    }

    public void Add(Node node, string path, FileIdentity restored)
    {
        if (!IsCandidate(node)) return;
        var key = OriginalIdentity(node);
        if (!_sources.TryGetValue(key, out var sources)) _sources[key] = sources = [];
        sources.Add(new HardLinkSource(path, node.Size, node.ChunkIds, restored));
    }

    // Inode 0 means the backup had no identity for the file (another platform): nothing to match.
    private static bool IsCandidate(Node node) => node.LinkCount > 1 && node.Inode != 0;

    private static FileIdentity OriginalIdentity(Node node) => new(node.Device, node.Inode);
}

/// <summary>A file written by this restore that later names may link to.</summary>
/// <param name="Path">Relative to the target.</param>
/// <param name="Restored">The written file's own (device, inode), to check that the name still leads to it.</param>
internal sealed record HardLinkSource(string Path, long Size, ByteString ChunkIds, FileIdentity Restored);
