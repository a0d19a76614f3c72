using System.Runtime;
using Urb.Agent.Memory;
using Xunit;

namespace Urb.Agent.Tests.Memory;

/// <summary>No test of another class runs beside these: a no-GC region is the whole process's, and their allocations would count in it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Garbage collection, alone";
}

[Collection(RunsAlone.Name)]
public sealed class GarbagePacerTests
{
    private const long Allowance = 64L * 1024 * 1024;

    [Fact]
    public void HoldCollections_NothingIsCollectedUntilTheHoldEnds()
    {
        using var pacer = GarbagePacer.Start();
        var before = 0;
        using (var hold = pacer.HoldCollections(Allowance))
        {
            before = GC.CollectionCount(0);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            var kept = AllocateGarbage(8 * 1024 * 1024);
            // The pacer's timer ticks every 25 ms; it must leave the hold alone.
            Thread.Sleep(100);
            Assert.Equal(before, GC.CollectionCount(0));
            GC.KeepAlive(kept);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void HoldCollections_AllocatingPastTheAllowance_EndsTheHoldWithOneCollectionAndNoError()
    {
        using var pacer = GarbagePacer.Start();
        var hold = pacer.HoldCollections(16 * 1024 * 1024);
        var before = GC.CollectionCount(0);
        AllocateGarbage(64 * 1024 * 1024);
        Assert.True(GC.CollectionCount(0) > before, "allocating four times the allowance collected nothing");
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        hold.Dispose();
        hold.Dispose();
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void HoldCollections_SecondHoldWhileOneIsOpen_HoldsNothingMoreAndEndsCleanly()
    {
        using var pacer = GarbagePacer.Start();
        using var other = GarbagePacer.Start();
        using (pacer.HoldCollections(Allowance))
        {
            var inner = other.HoldCollections(Allowance);
            inner.Dispose();
            // The inner hold did not start a region, so ending it left the outer one in place.
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    /// <summary>Allocates <paramref name="bytes"/> in 64 KiB arrays (under the large-object threshold) and keeps only the last.</summary>
    private static byte[] AllocateGarbage(long bytes)
    {
        var last = Array.Empty<byte>();
        for (long done = 0; done < bytes; done += 64 * 1024) last = new byte[64 * 1024];
        return last;
    }
}
