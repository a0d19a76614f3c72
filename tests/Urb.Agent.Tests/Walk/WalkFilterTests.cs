using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

public class WalkFilterTests
{
    private static TempTree Sample()
    {
        var tree = new TempTree();
        tree.WriteFile("docs/a.txt");
        tree.WriteFile("docs/b.log");
        tree.WriteFile("docs/old/c.txt");
        tree.WriteFile("src/main.cs");
        tree.WriteFile("src/bin/main.dll");
        tree.WriteFile("src/obj/cache/x.bin");
        tree.WriteFile("top.log");
        return tree;
    }

    [Fact]
    public void Walk_Excludes_LeaveOutMatchesAndDoNotDescendExcludedDirectories()
    {
        using var tree = Sample();

        var walked = Walked.Of(new WalkRoot(tree.Root) { Excludes = ["**/*.log", "src/bin", "**/obj"] });

        Assert.Equal(["", "docs", "docs/a.txt", "docs/old", "docs/old/c.txt", "src", "src/main.cs"], walked.Paths);
    }

    [Fact]
    public void Walk_ExcludedUnreadableDirectory_IsNeverOpened()
    {
        using var tree = Sample();
        File.SetUnixFileMode(tree.PathOf("src"), UnixFileMode.None);
        try
        {
            var walked = Unprivileged.Run(() => Walked.Of(new WalkRoot(tree.Root) { Excludes = ["src"] }));

            Assert.DoesNotContain("src", walked.Paths);
            Assert.False(walked.CompletedWithWarnings);
        }
        finally
        {
            File.SetUnixFileMode(tree.PathOf("src"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Walk_Includes_RestrictFilesButDescendWhereTheyCouldMatch()
    {
        using var tree = Sample();

        var walked = Walked.Of(new WalkRoot(tree.Root) { Includes = ["**/*.txt"] });

        Assert.Equal(["", "docs", "docs/a.txt", "docs/old", "docs/old/c.txt", "src", "src/bin", "src/obj", "src/obj/cache"], walked.Paths);
    }

    [Fact]
    public void Walk_IncludedDirectory_IncludesEverythingBelowIt()
    {
        using var tree = Sample();

        var walked = Walked.Of(new WalkRoot(tree.Root) { Includes = ["src/obj", "top.log"] });

        Assert.Equal(["", "src", "src/obj", "src/obj/cache", "src/obj/cache/x.bin", "top.log"], walked.Paths);
    }

    [Fact]
    public void Walk_IncludesAndExcludes_ExcludeWins()
    {
        using var tree = Sample();

        var walked = Walked.Of(new WalkRoot(tree.Root) { Includes = ["docs/**"], Excludes = ["docs/old"] });

        Assert.Equal(["", "docs", "docs/a.txt", "docs/b.log"], walked.Paths);
    }

    [Fact]
    public void Walk_AbsolutePatterns_MatchTheAbsolutePath()
    {
        using var tree = Sample();

        var walked = Walked.Of(new WalkRoot(tree.PathOf("src")) { Excludes = [tree.PathOf("src/obj")], Includes = [tree.Root + "/*/*.cs", tree.Root + "/src/obj/**"] });

        Assert.Equal(["", "main.cs"], walked.Paths);
    }

    [Fact]
    public void Walk_BadPattern_ThrowsBeforeWalking() =>
        Assert.ThrowsAny<ArgumentException>(() => FileSystemWalker.Walk(new WalkOptions([new WalkRoot("/tmp") { Excludes = [" "] }])));
}
