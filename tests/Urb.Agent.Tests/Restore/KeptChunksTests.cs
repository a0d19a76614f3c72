using System.Buffers;
using System.Security.Cryptography;
using Urb.Agent.Restore;

namespace Urb.Agent.Tests.Restore;

/// <summary>Chunks a restore keeps for later files: in memory up to a budget, then in a spill file that goes with the restore.</summary>
public sealed class KeptChunksTests : IDisposable
{
    private readonly string spillDirectory = Directory.CreateTempSubdirectory("urb-kept-").FullName;

    public void Dispose() => Directory.Delete(spillDirectory, recursive: true);

    [Fact]
    public void TryUse_GivesTheKeptBytesOncePerUse_ThenForgetsTheChunk()
    {
        using var kept = new KeptChunks(spillDirectory);
        var id = RandomNumberGenerator.GetBytes(32);
        var stored = RandomNumberGenerator.GetBytes(5000);

        kept.Keep(id, stored, compressed: true, uses: 2);

        Assert.Equal(stored, Use(kept, id, expectCompressed: true));
        Assert.Equal(stored, Use(kept, id, expectCompressed: true));
        Assert.Equal(0, kept.Count);
        Assert.False(kept.TryUse(id, out _, out _, out _));
    }

    [Fact]
    public void Keep_NoLaterUse_KeepsNothing()
    {
        using var kept = new KeptChunks(spillDirectory);

        kept.Keep(RandomNumberGenerator.GetBytes(32), new byte[100], compressed: false, uses: 0);

        Assert.Equal(0, kept.Count);
    }

    [Fact]
    public void Keep_PastTheMemoryBudget_SpillsToAFileNothingElseSees()
    {
        var chunks = Enumerable.Range(0, (int)(KeptChunks.MemoryBudgetBytes / (1 << 20)) + 3)
            .Select(_ => (Id: RandomNumberGenerator.GetBytes(32), Stored: RandomNumberGenerator.GetBytes(1 << 20)))
            .ToList();
        using (var kept = new KeptChunks(spillDirectory))
        {
            foreach (var (id, stored) in chunks) kept.Keep(id, stored, compressed: false, uses: 1);

            Assert.True(kept.SpilledBytes >= 3 << 20, $"spilled {kept.SpilledBytes} bytes");
            // Unlinked while open: a killed restore leaves nothing behind.
            Assert.Empty(Directory.GetFiles(spillDirectory));
            foreach (var (id, stored) in chunks) Assert.Equal(stored, Use(kept, id, expectCompressed: false));
        }

        Assert.Empty(Directory.GetFiles(spillDirectory));
    }

    [Fact]
    public void Keep_PastTheMemoryBudgetWhereNothingCanBeWritten_SaysWhereAndWhatToDo()
    {
        var nowhere = Path.Combine(spillDirectory, "missing");
        using var kept = new KeptChunks(nowhere);
        var chunk = RandomNumberGenerator.GetBytes(1 << 20);

        var error = Assert.Throws<IOException>(() =>
        {
            for (var i = 0; i <= KeptChunks.MemoryBudgetBytes / chunk.Length; i++) kept.Keep(RandomNumberGenerator.GetBytes(32), chunk, compressed: false, uses: 1);
        });

        Assert.Contains(nowhere, error.Message, StringComparison.Ordinal);
        Assert.Contains("--path", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Use(KeptChunks kept, byte[] id, bool expectCompressed)
    {
        Assert.True(kept.TryUse(id, out var buffer, out var length, out var compressed));
        Assert.Equal(expectCompressed, compressed);
        var copy = buffer.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(buffer);
        return copy;
    }
}
