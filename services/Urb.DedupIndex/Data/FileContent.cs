namespace Urb.DedupIndex.Data;

/// <summary>A file entry: the whole-file hash, the size and the packed chunk IDs in file order.</summary>
public sealed record FileContent(byte[] FileHash, long Size, byte[] ChunkIds);
