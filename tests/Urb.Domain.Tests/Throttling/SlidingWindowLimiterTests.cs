using Microsoft.Extensions.Time.Testing;
using Urb.Domain.Throttling;

namespace Urb.Domain.Tests.Throttling;

public sealed class SlidingWindowLimiterTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>A clock at the very start of a window, so the tests can reason about overlaps.</summary>
    private static FakeTimeProvider ClockAtWindowStart() => new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryAcquire_UpToTheLimit_IsAllowed_ThenRefused()
    {
        var limiter = new SlidingWindowLimiter(3, Minute, ClockAtWindowStart());

        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.False(limiter.TryAcquire("a", out var first));
        Assert.True(first);
        Assert.False(limiter.TryAcquire("a", out var second));
        Assert.False(second);
    }

    [Fact]
    public void TryAcquire_OtherKeys_AreCountedApart()
    {
        var limiter = new SlidingWindowLimiter(1, Minute, ClockAtWindowStart());

        Assert.True(limiter.TryAcquire("a", out _));
        Assert.False(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("b", out _));
    }

    [Fact]
    public void TryAcquire_PreviousWindow_WeighsByItsOverlap()
    {
        var time = ClockAtWindowStart();
        var limiter = new SlidingWindowLimiter(10, Minute, time);
        for (var i = 0; i < 10; i++) Assert.True(limiter.TryAcquire("a", out _));

        // A quarter into the next window, three quarters of the last one still count (7.5 of 10):
        // three more fit (at 7.5, 8.5 and 9.5), the fourth would make it 10.5.
        time.Advance(Minute + Minute / 4);
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.False(limiter.TryAcquire("a", out _));

        // Two windows later nothing weighs any more.
        time.Advance(Minute * 2);
        for (var i = 0; i < 10; i++) Assert.True(limiter.TryAcquire("a", out _));
    }

    [Fact]
    public void TryAcquire_RefusedEvents_AreNotCounted()
    {
        var time = ClockAtWindowStart();
        var limiter = new SlidingWindowLimiter(2, Minute, time);
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("a", out _));
        for (var i = 0; i < 1000; i++) Assert.False(limiter.TryAcquire("a", out _));

        time.Advance(Minute * 2);

        Assert.True(limiter.TryAcquire("a", out _));
    }

    [Fact]
    public void TryAcquire_FirstRefusal_IsReportedOncePerWindow()
    {
        var time = ClockAtWindowStart();
        var limiter = new SlidingWindowLimiter(1, Minute, time);
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.False(limiter.TryAcquire("a", out var first));
        Assert.False(limiter.TryAcquire("a", out var again));

        // At the start of the next window the last one still counts in full.
        time.Advance(Minute);
        Assert.False(limiter.TryAcquire("a", out var nextWindow));

        Assert.True(first);
        Assert.False(again);
        Assert.True(nextWindow);
    }

    [Fact]
    public void TryAcquire_KeysOfPastWindows_AreDropped()
    {
        var time = ClockAtWindowStart();
        var limiter = new SlidingWindowLimiter(5, Minute, time);
        for (var i = 0; i < 100; i++) limiter.TryAcquire($"k{i}", out _);
        Assert.Equal(100, limiter.TrackedKeys);

        time.Advance(Minute * 2);
        limiter.TryAcquire("new", out _);

        Assert.Equal(1, limiter.TrackedKeys);
    }

    [Fact]
    public void TryAcquire_TableFull_LetsNewKeysThroughUntracked()
    {
        var limiter = new SlidingWindowLimiter(1, Minute, ClockAtWindowStart(), maxKeys: 2);
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("b", out _));

        Assert.True(limiter.TryAcquire("c", out _));
        Assert.True(limiter.TryAcquire("c", out _));
        Assert.False(limiter.TryAcquire("a", out _));
        Assert.Equal(2, limiter.TrackedKeys);
    }
}
