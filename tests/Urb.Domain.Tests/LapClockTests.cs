using Urb.Domain.Timing;

namespace Urb.Domain.Tests;

public sealed class LapClockTests
{
    [Fact]
    public void Laps_AddUpToTheTotal_AndEachStartsWhereTheLastEnded()
    {
        var clock = new LapClock();
        Assert.Equal(TimeSpan.Zero, clock.Total);

        var first = clock.Lap();
        Thread.Sleep(5);
        var second = clock.Lap();

        Assert.True(second >= TimeSpan.FromMilliseconds(5), $"{second}");
        Assert.Equal(first + second, clock.Total);
    }
}
