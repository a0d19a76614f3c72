namespace Urb.Agent.State;

/// <summary>
/// What a file looked like when it was last read: if the walk finds the same stamp again, the file
/// is taken as unchanged and its chunk IDs are reused without reading it.
/// </summary>
/// <param name="Size">Bytes of content.</param>
/// <param name="ModifiedNs">mtime, nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNs">ctime, nanoseconds since the Unix epoch: it also moves when a tool writes
/// content and then resets the mtime, which the mtime alone would miss.</param>
/// <param name="Device">The device the file was on (st_dev).</param>
/// <param name="Inode">The file's inode: a file replaced by a rename has a new one.</param>
public readonly record struct FileStamp(long Size, long ModifiedNs, long ChangedNs, ulong Device, ulong Inode);

/// <summary>A file the state database knows: its stamp when read, and the chunks its content was cut into.</summary>
/// <param name="Stamp">What the file looked like when read.</param>
/// <param name="ChunkIds">The content's chunk IDs in order, concatenated (32 bytes each; empty for an empty file).</param>
public sealed record KnownFile(FileStamp Stamp, byte[] ChunkIds);
