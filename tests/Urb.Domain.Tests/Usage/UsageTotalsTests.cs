using Urb.Domain.Usage;

namespace Urb.Domain.Tests.Usage;

public sealed class UsageTotalsTests
{
    [Fact]
    public void Ratios_TypicalFigures_DedupCompressionAndTotal()
    {
        var usage = new UsageTotals(StoredBytes: 250, PlainBytes: 1_000, LogicalBytes: 4_000, LatestBackupBytes: 1_200, IncrementalBackups: 3, FullBackups: 1, IncrementalImageBackups: 2, FullImageBackups: 1);

        Assert.Equal(4.0, usage.DedupRatio);
        Assert.Equal(4.0, usage.CompressionRatio);
        Assert.Equal(16.0, usage.TotalRatio);
    }

    [Fact]
    public void Ratios_NothingStored_Zero()
    {
        var usage = new UsageTotals(0, 0, 4_000, 4_000, 1, 0, 0, 0);

        Assert.Equal(0, usage.DedupRatio);
        Assert.Equal(0, usage.CompressionRatio);
        Assert.Equal(0, usage.TotalRatio);
    }

    [Fact]
    public void Sum_TwoClients_AddsEveryFigureAndRecomputesRatios()
    {
        var a = new UsageTotals(100, 300, 900, 300, 2, 1, 4, 1);
        var b = new UsageTotals(100, 100, 100, 100, 0, 1, 1, 0);

        var sum = UsageTotals.Sum([a, b]);

        Assert.Equal(new UsageTotals(200, 400, 1_000, 400, 2, 2, 5, 1), sum);
        Assert.Equal(2.5, sum.DedupRatio);
        Assert.Equal(2.0, sum.CompressionRatio);
    }

    [Fact]
    public void Sum_NoClients_Zero() => Assert.Equal(UsageTotals.Zero, UsageTotals.Sum([]));
}
