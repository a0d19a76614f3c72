using System.Text;

namespace Urb.Agent.Tests.Restore;

public class RestoreDepthTests
{
    [Fact]
    public void Complete_ThreeHundredLevelsPastPathMax_RestoresToTheBottom()
    {
        // 300 levels of 20-byte names: about 6,300 bytes of path, past PATH_MAX (4,096), which only
        // relative creation can reach.
        using var target = new RestoreTarget();
        var level = new string('d', 18) + "é";
        var entries = new List<RestoreEntry>();
        var path = "";
        for (var i = 0; i < 300; i++)
        {
            path = path.Length == 0 ? level : $"{path}/{level}";
            entries.Add(RestoreEntry.Directory(path));
        }
        entries.Add(RestoreEntry.File($"{path}/bottom.txt", "bottom"));

        var summary = Restores.Run(target.Path, entries);

        Assert.Empty(summary.Warnings);
        Assert.Equal((1, 300), (summary.Files, summary.Directories));
        var walked = target.Walk();
        Assert.Equal(302, walked.Entries.Count);
        Assert.Equal($"{path}/bottom.txt", walked.Entries[^1].RelativePath);
        Assert.True(Encoding.UTF8.GetByteCount(walked.Entries[^1].AbsolutePath) > 6000);
        Assert.All(walked.Entries.Skip(1), entry => Assert.Equal(Nodes.Modified, entry.Metadata.ModifiedNanoseconds));
        target.Tree.Shell($"cd target && for i in $(seq 300); do cd '{level}' || exit 1; done; test \"$(cat bottom.txt)\" = bottom");
    }
}
