using System.Text;
using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

public class WalkDepthTests
{
    [Fact]
    public void Walk_TwoHundredLevelsPastPathMax_WalksToTheBottom()
    {
        // 200 levels of 40-byte names: about 8,200 bytes of path, twice PATH_MAX. Built with cd
        // from one level to the next, since no full path of that length can be handed to a syscall.
        using var tree = new TempTree();
        var level = new string('d', 38) + "é";
        tree.Shell($"for i in $(seq 200); do mkdir '{level}' && cd '{level}' || exit 1; done; echo bottom > file.txt");

        var walked = Walked.Of(tree.Root);

        Assert.Empty(walked.Warnings);
        Assert.Equal(202, walked.Entries.Count);
        var bottom = walked.Entries[^1];
        Assert.Equal(WalkEntryKind.File, bottom.Kind);
        Assert.Equal(7, bottom.Metadata.Size);
        Assert.Equal(string.Join('/', Enumerable.Repeat(level, 200)) + "/file.txt", bottom.RelativePath);
        Assert.True(Encoding.UTF8.GetByteCount(bottom.AbsolutePath) > 8000);
    }
}
