namespace Urb.Agent.Control;

/// <summary>Waits between reconnects: doubling from the first to the longest, each with ±20 % jitter so many agents do not return at once.</summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan first;
    private readonly TimeSpan longest;
    private readonly Random random;
    private TimeSpan next;

    public ReconnectBackoff(TimeSpan first, TimeSpan longest, Random? random = null)
    {
        this.first = first;
        this.longest = longest;
        this.random = random ?? Random.Shared;
        next = first;
    }

    public TimeSpan Next()
    {
        var current = next;
        next = TimeSpan.FromTicks(Math.Min(longest.Ticks, next.Ticks * 2));
        return current * (0.8 + 0.4 * random.NextDouble());
    }

    public void Reset() => next = first;
}
