namespace Urb.Agent.Tests.Restore;

public class RestoreSparseTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void Write_RunsOfZeros_LeavesHoles()
    {
        using var target = new RestoreTarget();
        var content = new byte[8 * MiB];
        "in the middle"u8.CopyTo(content.AsSpan(3 * MiB + 100));

        // Pieces that do not line up with 4 KiB blocks, as chunks of content do not.
        Restores.Run(target.Path, [RestoreEntry.File("sparse", content)], pieceSize: 100_000);

        Assert.Equal(content, File.ReadAllBytes(target.PathOf("sparse")));
        var allocated = target.AllocatedBytes("sparse");
        Assert.True(allocated <= 64 * 1024, $"{allocated} bytes allocated for 13 bytes of data");
    }

    [Fact]
    public void Write_OnlyZeros_AllocatesNothingButKeepsTheLength()
    {
        using var target = new RestoreTarget();

        Restores.Run(target.Path, RestoreEntry.File("zeros", new byte[4 * MiB + 123]));

        Assert.Equal(4 * MiB + 123, new FileInfo(target.PathOf("zeros")).Length);
        Assert.Equal(0, target.AllocatedBytes("zeros"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(65_536)]
    public void Write_MixedContentInAnyPieceSize_ReadsBackTheSame(int pieceSize)
    {
        using var target = new RestoreTarget();
        var content = new byte[300_000];
        new Random(pieceSize).NextBytes(content);
        // Zero runs that start and end inside blocks, span several, or fill exactly one.
        content.AsSpan(1_000, 20_000).Clear();
        content.AsSpan(40_960, 4_096).Clear();
        content.AsSpan(100_001, 3).Clear();
        content.AsSpan(290_000).Clear();

        Restores.Run(target.Path, [RestoreEntry.File("mixed", content)], pieceSize);

        Assert.Equal(content, File.ReadAllBytes(target.PathOf("mixed")));
    }
}
