using System.Diagnostics;

namespace Urb.Domain.Timing;

/// <summary>
/// Times the steps of one piece of work one after another: each <see cref="Lap"/> is the time
/// since the previous one (or the start), so the laps add up to <see cref="Total"/> exactly. The
/// agent's backup phases and ingest's commit steps are measured with it.
/// </summary>
public sealed class LapClock
{
    private readonly long start = Stopwatch.GetTimestamp();

    /// <summary>From the start to the end of the last lap.</summary>
    public TimeSpan Total { get; private set; }

    /// <summary>The time since the previous lap (or the start); the next lap begins now.</summary>
    /// <remarks>Taken as the difference of two times since the start, so the laps add up to <see cref="Total"/> to the tick.</remarks>
    public TimeSpan Lap()
    {
        var now = Stopwatch.GetElapsedTime(start);
        var lap = now - Total;
        Total = now;
        return lap;
    }
}
