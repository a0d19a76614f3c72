namespace Urb.Agent.Walk;

/// <summary>
/// What the walk learns about an entry without opening it, taken with lstat semantics (a
/// symlink's own metadata, unless the root follows links and the link was followed). These are
/// the fields the agent compares with its state database to decide whether a file changed.
/// </summary>
/// <remarks>
/// The fields are Linux's; a Windows walk would fill them from GetFileInformationByHandleEx:
/// <see cref="Device"/> from the volume serial number, <see cref="Inode"/> from the file ID
/// (64 bits on NTFS; ReFS IDs are 128 bits and would need a wider identity),
/// <see cref="ChangedNanoseconds"/> from ChangeTime, <see cref="Mode"/> from the attributes, and no
/// owner ids (Windows owners are SIDs, carried separately).
/// </remarks>
/// <param name="Size">Bytes; for a symlink, the length of its target text.</param>
/// <param name="ModifiedNanoseconds">mtime, nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNanoseconds">ctime (any change to content or metadata), nanoseconds since the Unix epoch.</param>
/// <param name="Mode">st_mode: the file type bits and the permission bits.</param>
/// <param name="LinkCount">Number of hard links; above 1 the file may be seen again under another name.</param>
public readonly record struct FileMetadata(
    long Size,
    long ModifiedNanoseconds,
    long ChangedNanoseconds,
    uint Mode,
    uint UserId,
    uint GroupId,
    ulong Device,
    ulong Inode,
    uint LinkCount)
{
    /// <summary>The permission bits (rwx for owner, group, others, plus setuid, setgid and sticky).</summary>
    public uint Permissions => Mode & 0xfff;

    /// <summary>What identifies the file on this machine: two paths with one identity are hard links.</summary>
    public FileIdentity Identity => new(Device, Inode);
}

/// <summary>(device, inode): one file or directory, whatever names lead to it.</summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode);
