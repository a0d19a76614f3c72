using Urb.Agent.Backup;
using Urb.Agent.State;
using Urb.Agent.Tests.Walk;

namespace Urb.Agent.Tests.Backup;

public sealed class BackupPlanTests
{
    [Theory]
    [InlineData("/home/anna", "anna", "anna", "/home/anna")]
    [InlineData("/home/anna", "anna", "anna/docs/a.txt", "/home/anna/docs/a.txt")]
    [InlineData("/", "root", "root/etc/hosts", "/etc/hosts")]
    [InlineData("/dev/sda1", "sda1", "sda1", "/dev/sda1")]
    public void AbsolutePathOf_SnapshotPathBelowTheRoot_IsWhereTheWalkFoundIt(string rootPath, string rootName, string snapshotPath, string expected)
    {
        Assert.Equal(expected, new PlanRoot(rootPath, rootName).AbsolutePathOf(snapshotPath));
    }

    [Fact]
    public void Build_Tree_EachFileKnowsItsPathOnThisMachine()
    {
        using var tree = new TempTree();
        var file = tree.WriteFile("src/docs/a.txt");
        var root = tree.PathOf("src");

        var plan = BackupPlan.Build([root], new Dictionary<string, KnownFile>(), new BackupOptions([root], Full: false), CancellationToken.None);

        var item = Assert.Single(plan.Files);
        Assert.Equal("src/docs/a.txt", item.SnapshotPath);
        Assert.Equal(file, item.AbsolutePath);
    }

    [Fact]
    public void Build_HardLinks_SecondNameSharesTheFirst()
    {
        using var tree = new TempTree();
        tree.WriteFile("src/a");
        tree.HardLink("src/b", "src/a");
        tree.WriteFile("src/c");
        var root = tree.PathOf("src");

        var plan = BackupPlan.Build([root], new Dictionary<string, KnownFile>(), new BackupOptions([root], Full: false), CancellationToken.None);

        var second = Assert.Single(plan.Files, f => f.HardLinkOf is not null);
        Assert.Equal("src/b", second.SnapshotPath);
        Assert.Equal("src/a", second.HardLinkOf!.SnapshotPath);
    }

    [Fact]
    public void Build_KnownPathsNotFound_AreListedAsGone()
    {
        using var tree = new TempTree();
        tree.WriteFile("src/kept");
        var root = tree.PathOf("src");
        var known = new Dictionary<string, KnownFile>
        {
            ["src/kept"] = new(default, []),
            ["src/removed"] = new(default, []),
        };

        var plan = BackupPlan.Build([root], known, new BackupOptions([root], Full: false), CancellationToken.None);

        Assert.Equal(["src/removed"], plan.KnownPathsGone);
        Assert.True(Assert.Single(plan.Files).IsKnownPath);
    }

    [Fact]
    public void Build_TreeOfManyWalkBatches_PlansEveryEntryInWalkOrder()
    {
        // More entries than the walk hands over at once, in several directories.
        using var tree = new TempTree();
        var expected = new List<string>();
        for (var d = 0; d < 7; d++)
        {
            for (var f = 0; f < 150; f++)
            {
                tree.WriteFile($"src/d{d}/f{f:D3}");
                expected.Add($"src/d{d}/f{f:D3}");
            }
        }
        var root = tree.PathOf("src");
        var known = expected.Where((_, i) => i % 2 == 0).ToDictionary(p => p, _ => new KnownFile(default, []));
        known["src/gone"] = new(default, []);

        var plan = BackupPlan.Build([root], known, new BackupOptions([root], Full: false), CancellationToken.None);

        Assert.Equal(expected, plan.Files.Select(f => f.SnapshotPath));
        Assert.Equal(8, plan.Directories.Count);
        Assert.Equal(expected.Count / 2, plan.Files.Count(f => f.IsKnownPath));
        Assert.All(plan.Files, f => Assert.True(f.NeedsRead));
        Assert.Equal(["src/gone"], plan.KnownPathsGone);
    }

    [Fact]
    public void Build_Cancelled_Throws()
    {
        using var tree = new TempTree();
        for (var f = 0; f < 600; f++) tree.WriteFile($"src/f{f:D3}");
        var root = tree.PathOf("src");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            BackupPlan.Build([root], new Dictionary<string, KnownFile>(), new BackupOptions([root], Full: false), cancelled.Token));
    }
}
