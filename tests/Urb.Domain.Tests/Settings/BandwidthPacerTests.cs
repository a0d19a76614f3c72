using Microsoft.Extensions.Time.Testing;
using Urb.Domain.Settings;

namespace Urb.Domain.Tests.Settings;

public sealed class BandwidthPacerTests
{
    private const double MegabytePerSecond = 1_000_000;

    [Fact]
    public void NoLimit_NeverWaits()
    {
        var pacer = new BandwidthPacer(new FakeTimeProvider());

        for (var i = 0; i < 100; i++) Assert.Equal(TimeSpan.Zero, pacer.Take(10_000_000, null));
    }

    [Fact]
    public void Limit_WaitsForTheDebtOfTheBytesBeyondTheBurst()
    {
        var time = new FakeTimeProvider();
        var pacer = new BandwidthPacer(time);

        Assert.Equal(TimeSpan.Zero, pacer.Take(200_000, MegabytePerSecond));
        var wait = pacer.Take(1_000_000, MegabytePerSecond);

        // 256 KiB saved up, 1.2 MB taken: the rest is paid at 1 MB/s.
        Assert.Equal(1_200_000 - BandwidthPacer.MinimumBurst, wait.TotalSeconds * MegabytePerSecond, precision: 0);
    }

    [Fact]
    public void Limit_OverTime_AveragesTheRate()
    {
        var time = new FakeTimeProvider();
        var pacer = new BandwidthPacer(time);
        var total = TimeSpan.Zero;

        for (var i = 0; i < 50; i++)
        {
            var wait = pacer.Take(100_000, MegabytePerSecond);
            time.Advance(wait);
            total += wait;
        }

        // 5 MB at 1 MB/s, less the first burst.
        Assert.InRange(total.TotalSeconds, 4.7, 5.0);
    }

    [Fact]
    public void IdleTime_SavesUpNoMoreThanTheBurst()
    {
        var time = new FakeTimeProvider();
        var pacer = new BandwidthPacer(time);
        pacer.Take(1_000_000, MegabytePerSecond);

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.Zero, pacer.Take(250_000, MegabytePerSecond));
        Assert.True(pacer.Take(250_000, MegabytePerSecond) > TimeSpan.Zero);
    }
}
