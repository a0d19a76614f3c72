using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Urb.ServiceDefaults.LiveLogging;

/// <summary>
/// Publishes live log events to the capped Redis stream <see cref="StreamKey"/>
/// (<c>XADD urb:livelog MAXLEN ~ 10000 * ...</c>). Fail-open: the event is sent fire-and-forget,
/// so a Redis outage never fails or slows the operation that emits it; failures are logged as
/// one warning a minute at most.
/// </summary>
public sealed partial class LiveLog(IConnectionMultiplexer redis, IHostEnvironment environment, TimeProvider time, ILogger<LiveLog> logger)
{
    /// <summary>The Redis stream that holds the recent live log.</summary>
    public const string StreamKey = "urb:livelog";

    /// <summary>About how many events the stream keeps (trimmed approximately, which is cheap).</summary>
    public const int MaxLength = 10_000;

    /// <summary>Longest message kept; longer ones are cut so one event stays small.</summary>
    public const int MaxMessageLength = 1_000;

    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);
    private long lastWarningTicks = long.MinValue;

    /// <summary>Publishes <paramref name="e"/>; never throws and never waits for Redis.</summary>
    public void Publish(LiveLogEvent e)
    {
        try
        {
            var now = time.GetUtcNow();
            var task = redis.GetDatabase().StreamAddAsync(StreamKey, Fields(e, now),
                maxLength: MaxLength, useApproximateMaxLength: true);
            _ = task.ContinueWith(t => Warn(t.Exception!.GetBaseException()), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Warn(ex);
        }
    }

    /// <summary>The stream entry's fields; the reader parses them with <see cref="LiveLogEntry.TryRead"/>.</summary>
    public NameValueEntry[] Fields(LiveLogEvent e, DateTimeOffset at) =>
    [
        new(LiveLogEntry.Field.Tenant, e.TenantId?.ToString() ?? ""),
        new(LiveLogEntry.Field.Client, e.ClientId?.ToString() ?? ""),
        new(LiveLogEntry.Field.Level, e.Level.ToString().ToLowerInvariant()),
        new(LiveLogEntry.Field.Service, environment.ApplicationName),
        new(LiveLogEntry.Field.Time, at.ToUnixTimeMilliseconds()),
        new(LiveLogEntry.Field.Message, e.Message.Length <= MaxMessageLength ? e.Message : e.Message[..MaxMessageLength]),
    ];

    private void Warn(Exception ex)
    {
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref lastWarningTicks);
        if (last != long.MinValue && now - last < WarningInterval.Ticks) return;
        if (Interlocked.CompareExchange(ref lastWarningTicks, now, last) != last) return;
        LogPublishFailed(logger, ex.GetType().Name, ex.Message.ReplaceLineEndings(" "));
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Live log events are being dropped: Redis did not take one ({ErrorType}: {Error}); next warning in a minute at the earliest")]
    private static partial void LogPublishFailed(ILogger logger, string errorType, string error);
}
