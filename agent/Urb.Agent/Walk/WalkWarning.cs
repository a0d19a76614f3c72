namespace Urb.Agent.Walk;

/// <summary>Something the walk could not back up, reported per path; the walk carries on.</summary>
public sealed record WalkWarning(int RootIndex, string RelativePath, string AbsolutePath, WalkWarningKind Kind, string Reason);

public enum WalkWarningKind
{
    /// <summary>A configured root is missing, is not a directory or cannot be opened.</summary>
    RootUnavailable,

    /// <summary>A directory could not be opened or listed, a link could not be read, or an entry could not be stat'ed.</summary>
    Unreadable,

    /// <summary>The entry was listed but was gone (or replaced) when the walk came to it.</summary>
    Vanished,

    /// <summary>A followed symlink or a repeated mount leads back to a directory on the current path.</summary>
    Cycle,

    /// <summary>The name is not valid UTF-8, so it cannot be carried as text; the entry is left out.</summary>
    UnsupportedName,
}
