using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Urb.Domain.Scheduling;
using Urb.ServiceDefaults.LiveLogging;

namespace Urb.ServiceDefaults.Agents;

/// <summary>
/// Paused backups of a client, for the agent (through the gateway) and operators (through the
/// API) alike: <c>urb:agents:paused:&lt;client&gt;</c> holds the end of the pause (Unix
/// milliseconds) and expires then, so a pause ends by itself even if nobody resumes it. The gateway
/// holds the client's backup relays while the key is there (<see cref="Gate"/>).
/// </summary>
public sealed partial class BackupPauses(IConnectionMultiplexer redis, TimeProvider time, LiveLog liveLog, ILogger<BackupPauses> logger)
{
    /// <summary>How often a held relay looks again, and how long a relay trusts its last look.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private TimeProvider Clock => time;

    public static RedisKey Key(Guid clientId) => $"urb:agents:paused:{clientId}";

    /// <summary>
    /// Pauses the client's backups for <paramref name="duration"/> (null: 1 h; zero resumes), replacing a pause there is.
    /// Answers the end of the pause, null when resumed. <paramref name="by"/> says who, for the live log.
    /// </summary>
    public async Task<DateTimeOffset?> PauseAsync(Guid tenantId, Guid clientId, string clientName, TimeSpan? duration, string by, string field = "duration")
    {
        var length = BackupPause.Validate(duration, field);
        if (length == TimeSpan.Zero)
        {
            await ResumeAsync(tenantId, clientId, clientName, by);
            return null;
        }
        var until = time.GetUtcNow() + length;
        await redis.GetDatabase().StringSetAsync(Key(clientId), until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), length);
        liveLog.Publish(LiveLogEvent.ForClient(tenantId, clientId, LiveLogLevel.Info,
            $"Backups of {clientName} paused until {until:yyyy-MM-dd HH:mm:ss} UTC (by {by})"));
        return until;
    }

    public async Task ResumeAsync(Guid tenantId, Guid clientId, string clientName, string by)
    {
        if (await redis.GetDatabase().KeyDeleteAsync(Key(clientId)))
        {
            liveLog.Publish(LiveLogEvent.ForClient(tenantId, clientId, LiveLogLevel.Info, $"Backups of {clientName} resumed (by {by})"));
        }
    }

    /// <summary>When the client's pause ends; null when its backups are not paused.</summary>
    public async Task<DateTimeOffset?> PausedUntilAsync(Guid clientId)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(clientId));
        return long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }

    /// <summary>The pause check of one relay of the client's backup traffic.</summary>
    public Gate GateFor(Guid clientId) => new(this, clientId);

    /// <summary>
    /// Holds one relay while the client is paused. Redis is asked at most once per
    /// <see cref="CheckInterval"/>, so a relay of many small messages costs one lookup a second.
    /// </summary>
    public sealed class Gate(BackupPauses pauses, Guid clientId)
    {
        private long? lastLook;

        /// <summary>Returns when the client is not paused; waits while it is.</summary>
        public async ValueTask WaitAsync(CancellationToken cancellationToken)
        {
            if (lastLook is { } at && pauses.Clock.GetElapsedTime(at) < CheckInterval) return;
            while (await pauses.IsPausedAsync(clientId))
            {
                await Task.Delay(CheckInterval, pauses.Clock, cancellationToken);
            }
            lastLook = pauses.Clock.GetTimestamp();
        }
    }

    /// <summary>
    /// Fails open: a pause is a courtesy to the client, and a Redis outage should not stop every
    /// backup as if all clients were paused.
    /// </summary>
    private async Task<bool> IsPausedAsync(Guid clientId)
    {
        try
        {
            return await redis.GetDatabase().KeyExistsAsync(Key(clientId));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogNotChecked(clientId, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pause of client {ClientId} not checked, the backup goes on: {Reason}")]
    private partial void LogNotChecked(Guid clientId, string reason);
}
