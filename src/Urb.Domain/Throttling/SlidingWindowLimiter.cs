namespace Urb.Domain.Throttling;

/// <summary>
/// Allows at most <c>limit</c> events per key within any <c>window</c> (approximately): the
/// sliding-window counter, which weighs the previous fixed window by how much of it still
/// overlaps the sliding one. Two counters per key instead of a timestamp per event, so a flood
/// costs no memory. Refused events are not counted: the limit caps what gets through, and a
/// key that stops flooding is let in again one window later.
/// </summary>
/// <remarks>
/// Keys whose windows are over are dropped once per window. Beyond <c>maxKeys</c> live keys a new
/// key is let through untracked (fail-open), so an attacker with many addresses can not make
/// the table grow without bound, nor lock out addresses it has not seen.
/// </remarks>
public sealed class SlidingWindowLimiter
{
    private readonly int limit;
    private readonly long windowTicks;
    private readonly int maxKeys;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private long prunedWindow;

    public SlidingWindowLimiter(int limit, TimeSpan window, TimeProvider time, int maxKeys = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxKeys);
        this.limit = limit;
        windowTicks = window.Ticks;
        this.maxKeys = maxKeys;
        this.time = time;
    }

    /// <summary>The number of keys being tracked (for tests and diagnostics).</summary>
    public int TrackedKeys
    {
        get { lock (gate) return counters.Count; }
    }

    /// <summary>
    /// Counts one event of <paramref name="key"/> if it is within the limit. <paramref name="firstRefusal"/>
    /// is true for the first refusal of the key in its current window (one log line per window, not one per event).
    /// </summary>
    public bool TryAcquire(string key, out bool firstRefusal)
    {
        var now = time.GetUtcNow().UtcTicks;
        var windowIndex = now / windowTicks;
        var overlap = 1.0 - (double)(now % windowTicks) / windowTicks;
        firstRefusal = false;
        lock (gate)
        {
            PruneOnce(windowIndex);
            if (!counters.TryGetValue(key, out var counter))
            {
                if (counters.Count >= maxKeys) return true;
                counter = new Counter { Window = windowIndex };
                counters[key] = counter;
            }
            counter.Roll(windowIndex);
            if (counter.Previous * overlap + counter.Current >= limit)
            {
                firstRefusal = counter.RefusedInWindow != windowIndex;
                counter.RefusedInWindow = windowIndex;
                return false;
            }
            counter.Current++;
            return true;
        }
    }

    private void PruneOnce(long windowIndex)
    {
        if (windowIndex == prunedWindow) return;
        prunedWindow = windowIndex;
        List<string>? over = null;
        foreach (var (key, counter) in counters)
        {
            // A key counted last two windows ago or earlier no longer weighs anything.
            if (counter.Window < windowIndex - 1) (over ??= []).Add(key);
        }
        foreach (var key in over ?? []) counters.Remove(key);
    }

    private sealed class Counter
    {
        public long Window;
        public int Current;
        public int Previous;
        public long RefusedInWindow = -1;

        public void Roll(long windowIndex)
        {
            if (windowIndex == Window) return;
            Previous = windowIndex == Window + 1 ? Current : 0;
            Current = 0;
            Window = windowIndex;
        }
    }
}
