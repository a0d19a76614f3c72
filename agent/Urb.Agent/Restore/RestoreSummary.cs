namespace Urb.Agent.Restore;

/// <summary>What a restore wrote, and what it could not.</summary>
/// <param name="Files">Files written with their content (hard links not counted again).</param>
/// <param name="Directories">Directories created or reused, the target included when an entry described it.</param>
/// <param name="Symlinks">Symlinks created.</param>
/// <param name="HardLinks">Further names given to files already written.</param>
/// <param name="Bytes">Content bytes of the files written (zeros skipped as holes included).</param>
/// <param name="Warnings">Per path, in the order met.</param>
public sealed record RestoreSummary(int Files, int Directories, int Symlinks, int HardLinks, long Bytes, IReadOnlyList<RestoreWarning> Warnings)
{
    /// <summary>Something was left out or restored without all of its metadata.</summary>
    public bool CompletedWithWarnings => Warnings.Count > 0;
}

/// <summary>One entry the restore could not restore as it was, and why; the restore went on.</summary>
/// <param name="Path">As given to <see cref="RestoreWriter.BeginEntry"/> (for a root file, its name).</param>
public sealed record RestoreWarning(string Path, string Reason);
