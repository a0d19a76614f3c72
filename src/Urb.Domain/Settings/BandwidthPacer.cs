namespace Urb.Domain.Settings;

/// <summary>
/// Paces a byte stream to a rate that may change from one call to the next (time-dependent
/// limits). A token bucket that may go into debt: a message larger than what is saved up is let
/// through, and the next one waits until the debt is paid. The burst (what can be saved up) is a
/// quarter of a second's worth, at least <see cref="MinimumBurst"/>, so a limit is felt at once
/// but one message never waits for itself.
/// </summary>
public sealed class BandwidthPacer(TimeProvider time)
{
    public const double MinimumBurst = 256 * 1024;

    private readonly Lock gate = new();
    private double tokens = MinimumBurst;
    private long lastTimestamp = time.GetTimestamp();

    /// <summary>How long a sender of <paramref name="bytes"/> must wait now at <paramref name="bytesPerSecond"/> (null: no limit); takes the bytes.</summary>
    public TimeSpan Take(long bytes, double? bytesPerSecond)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(lastTimestamp, now).TotalSeconds;
            lastTimestamp = now;
            if (bytesPerSecond is not { } rate || rate <= 0)
            {
                tokens = MinimumBurst;
                return TimeSpan.Zero;
            }
            var burst = Math.Max(rate / 4, MinimumBurst);
            tokens = Math.Min(burst, tokens + elapsed * rate) - bytes;
            return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / rate);
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> may be sent at the rate.</summary>
    public async Task WaitAsync(long bytes, double? bytesPerSecond, CancellationToken cancellationToken)
    {
        var wait = Take(bytes, bytesPerSecond);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
    }
}
