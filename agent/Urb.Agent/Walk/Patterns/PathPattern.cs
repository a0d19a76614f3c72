namespace Urb.Agent.Walk.Patterns;

/// <summary>
/// A wildcard pattern over '/'-separated paths: <c>*</c> matches any run of characters within one
/// name, <c>?</c> one character, and a whole segment <c>**</c> any number of names (zero
/// included, so <c>a/**</c> matches <c>a</c> itself and <c>**/b</c> matches <c>b</c>). A leading '/'
/// makes the pattern absolute. Dot files are not special. Matching is ordinal and case-sensitive.
/// </summary>
/// <remarks>
/// The pattern is a small automaton over its segments: a <see cref="PatternProgress"/> is the set
/// of segment positions reachable after the names seen so far. The walker advances it one name at a
/// time as it descends, so a match costs one step per entry however deep the tree, and
/// <see cref="CanMatchBelow"/> tells whether any path under a directory could still match (which
/// decides whether a directory must be descended for an include).
/// </remarks>
public sealed class PathPattern
{
    /// <summary>Positions live in the bits of a ulong: one per segment plus the accepting one.</summary>
    public const int MaxSegments = 63;

    private readonly PatternSegment[] _segments;

    private PathPattern(string text, bool isAbsolute, PatternSegment[] segments)
    {
        Text = text;
        IsAbsolute = isAbsolute;
        _segments = segments;
        Start = Close(new PatternProgress(1));
    }

    public string Text { get; }

    /// <summary>Starts with '/': matched against absolute paths.</summary>
    public bool IsAbsolute { get; }

    /// <summary>Where matching starts: no name consumed yet.</summary>
    public PatternProgress Start { get; }

    /// <exception cref="ArgumentException">Empty, or more than <see cref="MaxSegments"/> segments.</exception>
    public static PathPattern Parse(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var segments = new List<PatternSegment>();
        // Empty segments ('a//b', a trailing '/') carry no meaning here and are dropped; runs of
        // '**' collapse into one.
        foreach (var part in pattern.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = PatternSegment.Parse(part);
            if (segment.IsAnyDepth && segments.Count > 0 && segments[^1].IsAnyDepth) continue;
            segments.Add(segment);
        }
        if (segments.Count > MaxSegments)
        {
            throw new ArgumentException($"The pattern '{pattern}' has more than {MaxSegments} segments.", nameof(pattern));
        }
        return new PathPattern(pattern, pattern.StartsWith('/'), [.. segments]);
    }

    /// <summary>The progress after one more name (one path segment).</summary>
    public PatternProgress Advance(PatternProgress progress, ReadOnlySpan<char> name)
    {
        var reached = 0UL;
        for (var remaining = progress.Positions; remaining != 0; remaining &= remaining - 1)
        {
            var position = System.Numerics.BitOperations.TrailingZeroCount(remaining);
            if (position == _segments.Length) continue;
            var segment = _segments[position];
            if (segment.IsAnyDepth) reached |= 1UL << position;
            else if (segment.Matches(name)) reached |= 1UL << (position + 1);
        }
        return Close(new PatternProgress(reached));
    }

    /// <summary>The names seen so far form a path the pattern matches.</summary>
    public bool IsMatch(PatternProgress progress) => (progress.Positions & AcceptingBit) != 0;

    /// <summary>Some longer path, below the names seen so far, could still match.</summary>
    public bool CanMatchBelow(PatternProgress progress) => (progress.Positions & ~AcceptingBit) != 0;

    /// <summary>Matches a whole path: relative to the root for a relative pattern, absolute for an absolute one.</summary>
    public bool IsMatch(string path) => IsMatch(AdvanceAll(Start, path));

    /// <summary>Whether a path below this directory could match (the directory itself aside).</summary>
    public bool CanMatchBelow(string directoryPath) => CanMatchBelow(AdvanceAll(Start, directoryPath));

    /// <summary>Advances over every name of a '/'-separated path (empty names are ignored).</summary>
    public PatternProgress AdvanceAll(PatternProgress progress, string path)
    {
        foreach (var range in path.AsSpan().Split('/'))
        {
            if (range.End.Value > range.Start.Value) progress = Advance(progress, path.AsSpan()[range]);
        }
        return progress;
    }

    public override string ToString() => Text;

    private ulong AcceptingBit => 1UL << _segments.Length;

    /// <summary>A '**' may match no names at all, so reaching it also reaches the segment after it.</summary>
    private PatternProgress Close(PatternProgress progress)
    {
        var positions = progress.Positions;
        for (var position = 0; position < _segments.Length; position++)
        {
            if ((positions & (1UL << position)) != 0 && _segments[position].IsAnyDepth) positions |= 1UL << (position + 1);
        }
        return new PatternProgress(positions);
    }
}

/// <summary>Where a <see cref="PathPattern"/> stands after some names: a set of segment positions.
/// Default (no positions) means the pattern can no longer match.</summary>
public readonly record struct PatternProgress(ulong Positions)
{
    public bool IsDead => Positions == 0;
}
