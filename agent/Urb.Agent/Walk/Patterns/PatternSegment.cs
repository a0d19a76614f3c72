namespace Urb.Agent.Walk.Patterns;

/// <summary>One '/'-free part of a <see cref="PathPattern"/>, matched against one name.</summary>
internal readonly struct PatternSegment
{
    private readonly string _text;
    private readonly bool _hasWildcards;

    private PatternSegment(string text, bool isAnyDepth, bool hasWildcards)
    {
        _text = text;
        IsAnyDepth = isAnyDepth;
        _hasWildcards = hasWildcards;
    }

    /// <summary>The segment is '**': it matches any number of names.</summary>
    public bool IsAnyDepth { get; }

    public static PatternSegment Parse(string text) =>
        new(text, text == "**", text.AsSpan().IndexOfAny('*', '?') >= 0);

    public bool Matches(ReadOnlySpan<char> name)
    {
        if (!_hasWildcards) return name.SequenceEqual(_text);
        if (_text == "*") return true;
        return MatchesWildcards(_text, name);
    }

    /// <summary>
    /// The classic linear glob match: on a mismatch, go back to the last '*' and let it swallow
    /// one more character. Linear in practice, and never exponential, since only the last star is
    /// ever retried. '?' and the star's step take a surrogate pair as one character, so '?' matches
    /// one emoji as a user would expect.
    /// </summary>
    private static bool MatchesWildcards(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        int p = 0, n = 0, starPattern = -1, starName = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starPattern = p++;
                starName = n;
            }
            else if (p < pattern.Length && pattern[p] == '?')
            {
                p++;
                n += CharacterLength(name, n);
            }
            else if (p < pattern.Length && pattern[p] == name[n])
            {
                p++;
                n++;
            }
            else if (starPattern >= 0)
            {
                p = starPattern + 1;
                starName += CharacterLength(name, starName);
                n = starName;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    private static int CharacterLength(ReadOnlySpan<char> text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
}
