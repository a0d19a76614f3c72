namespace Urb.Domain.Retention;

/// <summary>
/// What the cleanup needs from the world: the time, the server's time zone (for GFS days and for
/// the times in explanations) and the storage's capacity (for percentage quotas; null: unknown,
/// and then percentage quotas are not enforced).
/// </summary>
public sealed record CleanupContext
{
    public CleanupContext(DateTimeOffset now, TimeZoneInfo timeZone, long? storageCapacityBytes = null)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        if (storageCapacityBytes is { } c)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(c, nameof(storageCapacityBytes));
        }
        Now = now;
        TimeZone = timeZone;
        StorageCapacityBytes = storageCapacityBytes;
    }

    public DateTimeOffset Now { get; }

    public TimeZoneInfo TimeZone { get; }

    public long? StorageCapacityBytes { get; }

    /// <summary>Now and the local time zone from <paramref name="clock"/>.</summary>
    public static CleanupContext FromClock(TimeProvider clock, long? storageCapacityBytes = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new CleanupContext(clock.GetUtcNow(), clock.LocalTimeZone, storageCapacityBytes);
    }
}
