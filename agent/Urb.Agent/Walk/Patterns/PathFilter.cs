namespace Urb.Agent.Walk.Patterns;

/// <summary>
/// A root's includes and excludes, applied one name at a time as the walk descends. Each directory
/// carries a <see cref="FilterState"/> (every pattern's progress down to it), so deciding about a
/// child is one automaton step per pattern, with no path strings built or split.
/// </summary>
internal sealed class PathFilter
{
    private readonly PathPattern[] _includes;
    private readonly PathPattern[] _excludes;

    private PathFilter(PathPattern[] includes, PathPattern[] excludes)
    {
        _includes = includes;
        _excludes = excludes;
    }

    public bool IsEmpty => _includes.Length == 0 && _excludes.Length == 0;

    /// <summary>Compiles the root's patterns; <see cref="ArgumentException"/> names a bad one.</summary>
    public static PathFilter Create(WalkRoot root) =>
        new([.. root.Includes.Select(PathPattern.Parse)], [.. root.Excludes.Select(PathPattern.Parse)]);

    /// <summary>The state at the root directory: relative patterns start there, absolute ones have
    /// already consumed the root's own path.</summary>
    public FilterState StateAtRoot(string rootAbsolutePath) => new(
        Array.ConvertAll(_includes, pattern => StartAt(pattern, rootAbsolutePath)),
        Array.ConvertAll(_excludes, pattern => StartAt(pattern, rootAbsolutePath)),
        InsideIncluded: _includes.Length == 0);

    /// <summary>Whether any exclude matches the child. Asked before the child is stat'ed, so an
    /// excluded entry costs no syscall and cannot produce a warning.</summary>
    public bool IsExcluded(FilterState parent, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < _excludes.Length; i++)
        {
            if (!parent.Excludes[i].IsDead && _excludes[i].IsMatch(_excludes[i].Advance(parent.Excludes[i], name))) return true;
        }
        return false;
    }

    /// <summary>Whether a non-directory child is reported: with no includes, always.</summary>
    public bool IncludesFile(FilterState parent, ReadOnlySpan<char> name)
    {
        if (parent.InsideIncluded) return true;
        for (var i = 0; i < _includes.Length; i++)
        {
            if (!parent.Includes[i].IsDead && _includes[i].IsMatch(_includes[i].Advance(parent.Includes[i], name))) return true;
        }
        return false;
    }

    /// <summary>The child directory's state, or null when no include can match in or below it (it
    /// is then neither reported nor descended).</summary>
    public FilterState? EnterDirectory(FilterState parent, ReadOnlySpan<char> name)
    {
        if (IsEmpty) return parent;
        var includes = new PatternProgress[_includes.Length];
        var insideIncluded = parent.InsideIncluded;
        var couldMatchBelow = false;
        for (var i = 0; i < _includes.Length; i++)
        {
            includes[i] = _includes[i].Advance(parent.Includes[i], name);
            insideIncluded |= _includes[i].IsMatch(includes[i]);
            couldMatchBelow |= _includes[i].CanMatchBelow(includes[i]);
        }
        if (!insideIncluded && !couldMatchBelow) return null;
        var excludes = new PatternProgress[_excludes.Length];
        for (var i = 0; i < _excludes.Length; i++) excludes[i] = _excludes[i].Advance(parent.Excludes[i], name);
        return new FilterState(includes, excludes, insideIncluded);
    }

    private static PatternProgress StartAt(PathPattern pattern, string rootAbsolutePath) =>
        pattern.IsAbsolute ? pattern.AdvanceAll(pattern.Start, rootAbsolutePath) : pattern.Start;
}

/// <summary>Every pattern's progress at one directory, and whether the directory or one of its
/// ancestors matched an include (then everything below it is included).</summary>
internal sealed record FilterState(PatternProgress[] Includes, PatternProgress[] Excludes, bool InsideIncluded);
