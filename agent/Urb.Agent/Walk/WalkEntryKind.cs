namespace Urb.Agent.Walk;

/// <summary>What the walk found at a path, and so what a backup stores for it.</summary>
public enum WalkEntryKind
{
    /// <summary>A regular file: its contents are backed up.</summary>
    File,

    /// <summary>A directory (empty ones too); its children follow it in the walk.</summary>
    Directory,

    /// <summary>A symlink stored as a link: <see cref="WalkEntry.SymlinkTarget"/> is its text.</summary>
    Symlink,

    /// <summary>A second or later name of a file already walked: <see cref="WalkEntry.HardLinkOf"/> is the first.</summary>
    HardLink,

    /// <summary>Not backed up, for the reason in <see cref="WalkEntry.Note"/>: a socket, FIFO or device
    /// file, a mount point of another filesystem, or a directory already walked.</summary>
    Skipped,
}
