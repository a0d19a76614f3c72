using Urb.Domain.Scheduling;

namespace Urb.Scheduler.Cleanup;

/// <summary>
/// When the nightly cleanup runs: once per opening of <c>cleanup_window</c> (default
/// <c>1-7/3-4</c>), and at most once a day when the window never closes.
/// </summary>
public static class CleanupWindowGate
{
    private static readonly TimeSpan LongestOpening = TimeSpan.FromDays(1);

    /// <summary>Whether a cleanup is due at <paramref name="localNow"/>, given when the last one started (local time, null: never).</summary>
    public static bool IsDue(BackupWindow window, DateTime localNow, DateTime? lastStartedLocal)
    {
        if (!window.Contains(localNow))
        {
            return false;
        }
        return lastStartedLocal is not { } last || last < OpeningStart(window, localNow);
    }

    /// <summary>The first minute of the opening that contains <paramref name="localNow"/>, looking back at most a day.</summary>
    public static DateTime OpeningStart(BackupWindow window, DateTime localNow)
    {
        var minute = localNow.AddTicks(-(localNow.Ticks % TimeSpan.TicksPerMinute));
        var limit = localNow - LongestOpening;
        while (minute > limit && window.Contains(minute.AddMinutes(-1)))
        {
            minute = minute.AddMinutes(-1);
        }
        return minute > limit ? minute : limit;
    }
}
