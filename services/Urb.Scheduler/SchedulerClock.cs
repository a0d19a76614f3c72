using Microsoft.Extensions.Options;

namespace Urb.Scheduler;

/// <summary>The time and the server's time zone, from the injected <see cref="TimeProvider"/> (tests drive a fake one).</summary>
public sealed class SchedulerClock(TimeProvider time, IOptions<SchedulerOptions> options)
{
    private readonly TimeZoneInfo zone = string.IsNullOrWhiteSpace(options.Value.TimeZone)
        ? time.LocalTimeZone
        : TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public TimeProvider Time => time;

    public DateTimeOffset Now => time.GetUtcNow();

    public TimeZoneInfo Zone => zone;

    /// <summary>The wall-clock time in the server's zone, as windows read it.</summary>
    public DateTime LocalNow => TimeZoneInfo.ConvertTime(Now, zone).DateTime;
}
