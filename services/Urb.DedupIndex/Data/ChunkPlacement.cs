namespace Urb.DedupIndex.Data;

/// <summary>Where one chunk is stored: a row of <c>chunks</c> without its tenant.</summary>
public sealed record ChunkPlacement(byte[] ChunkId, string Pack, long Offset, int Length, int PlainLength, bool IsTree = false);
