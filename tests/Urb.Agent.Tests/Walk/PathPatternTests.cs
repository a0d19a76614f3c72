using Urb.Agent.Walk.Patterns;

namespace Urb.Agent.Tests.Walk;

public class PathPatternTests
{
    [Theory]
    [InlineData("a.txt", "a.txt")]
    [InlineData("*.txt", "a.txt")]
    [InlineData("*.txt", ".txt")]
    [InlineData("*", ".hidden")]
    [InlineData("a*b*c", "abc")]
    [InlineData("a*b*c", "axxbyyc")]
    [InlineData("*aab", "aaaab")]
    [InlineData("?.txt", "a.txt")]
    [InlineData("??", "ab")]
    [InlineData("?", "😀")]
    [InlineData("*😀*", "x😀y")]
    [InlineData("naïve *", "naïve file")]
    [InlineData("a/b", "a/b")]
    [InlineData("a/*/c", "a/b/c")]
    [InlineData("*/*", "a/b")]
    [InlineData("a*", "a**")]
    public void IsMatch_WildcardsWithinNames_Match(string pattern, string path) =>
        Assert.True(PathPattern.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("a.txt", "b.txt")]
    [InlineData("a.txt", "A.TXT")]
    [InlineData("*.txt", "a.txt.bak")]
    [InlineData("?.txt", "ab.txt")]
    [InlineData("?.txt", ".txt")]
    [InlineData("??", "😀")]
    [InlineData("a*b*c", "abcd")]
    [InlineData("*", "a/b")]
    [InlineData("a*c", "ab/c")]
    [InlineData("a?c", "a/c")]
    [InlineData("a/*/c", "a/c")]
    [InlineData("a/*/c", "a/b/d/c")]
    [InlineData("a", "a/b")]
    [InlineData("b", "a/b")]
    public void IsMatch_WildcardsWithinNames_DoNotCrossOrOvermatch(string pattern, string path) =>
        Assert.False(PathPattern.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("**", "a")]
    [InlineData("**", "a/b/c")]
    [InlineData("**/b", "b")]
    [InlineData("**/b", "a/b")]
    [InlineData("**/b", "a/x/y/b")]
    [InlineData("a/**", "a")]
    [InlineData("a/**", "a/b/c")]
    [InlineData("a/**/z", "a/z")]
    [InlineData("a/**/z", "a/b/c/z")]
    [InlineData("**/*.log", "var/log/x.log")]
    [InlineData("**/cache/**", "home/u/cache/f")]
    [InlineData("a/**/**/z", "a/b/z")]
    [InlineData("**/a/**/a", "a/a")]
    [InlineData("**/a/**/a", "x/a/y/a/z/a")]
    public void IsMatch_DoubleStar_MatchesAnyNumberOfNames(string pattern, string path) =>
        Assert.True(PathPattern.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("**/b", "a/bb")]
    [InlineData("a/**", "b/a")]
    [InlineData("a/**/z", "a/z/y")]
    [InlineData("**/*.log", "var/log/x.log/inner")]
    [InlineData("**/a/**/a", "a")]
    public void IsMatch_DoubleStar_StillAnchorsTheRest(string pattern, string path) =>
        Assert.False(PathPattern.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("/home/*/tmp", "/home/alice/tmp", true)]
    [InlineData("/home/*/tmp", "/home/alice/x/tmp", false)]
    [InlineData("/home/**/tmp", "/home/alice/x/tmp", true)]
    [InlineData("/", "/", true)]
    [InlineData("//var//log/", "/var/log", true)]
    public void IsMatch_AbsolutePattern_MatchesAbsolutePath(string pattern, string path, bool expected)
    {
        var parsed = PathPattern.Parse(pattern);
        Assert.True(parsed.IsAbsolute);
        Assert.Equal(expected, parsed.IsMatch(path));
    }

    [Fact]
    public void IsAbsolute_RelativePattern_IsFalse() => Assert.False(PathPattern.Parse("home/*").IsAbsolute);

    [Theory]
    [InlineData("a/b/c", "a", true)]
    [InlineData("a/b/c", "a/b", true)]
    [InlineData("a/b/c", "a/b/c", false)]
    [InlineData("a/b/c", "x", false)]
    [InlineData("*/b", "anything", true)]
    [InlineData("**/b", "x/y/z", true)]
    [InlineData("a/**", "a", true)]
    [InlineData("a/**", "a/b/c", true)]
    [InlineData("*.txt", "dir", false)]
    [InlineData("docs", "docs", false)]
    public void CanMatchBelow_Directory_TellsWhetherToDescend(string pattern, string directory, bool expected) =>
        Assert.Equal(expected, PathPattern.Parse(pattern).CanMatchBelow(directory));

    [Fact]
    public void Advance_OneNameAtATime_AgreesWithWholePathMatch()
    {
        var pattern = PathPattern.Parse("src/**/*.cs");
        var progress = pattern.Start;
        foreach (var name in new[] { "src", "a", "b" }) progress = pattern.Advance(progress, name);
        Assert.False(pattern.IsMatch(progress));
        Assert.True(pattern.CanMatchBelow(progress));
        Assert.True(pattern.IsMatch(pattern.Advance(progress, "x.cs")));
        Assert.True(pattern.Advance(pattern.Start, "bin").IsDead);
    }

    [Fact]
    public void IsMatch_LongNamesWithManyStars_IsFast()
    {
        // A backtracking matcher would take exponential time here; the linear one does not.
        var pattern = PathPattern.Parse(string.Concat(Enumerable.Repeat("a*", 30)) + "b");
        var name = new string('a', 5000);
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(pattern.IsMatch(name));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"took {started.Elapsed}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_Throws(string pattern) => Assert.ThrowsAny<ArgumentException>(() => PathPattern.Parse(pattern));

    [Fact]
    public void Parse_TooManySegments_Throws() =>
        Assert.Throws<ArgumentException>(() => PathPattern.Parse(string.Join('/', Enumerable.Repeat("a", PathPattern.MaxSegments + 1))));

    [Fact]
    public void Parse_MaxSegments_Works()
    {
        var path = string.Join('/', Enumerable.Repeat("a", PathPattern.MaxSegments));
        Assert.True(PathPattern.Parse(path).IsMatch(path));
    }
}
