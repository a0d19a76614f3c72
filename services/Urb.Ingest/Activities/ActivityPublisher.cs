using System.Collections.Concurrent;
using StackExchange.Redis;
using Urb.ServiceDefaults.Activities;

namespace Urb.Ingest.Activities;

/// <summary>
/// Publishes the running backups and restores of this process to Redis once a second (see
/// <see cref="ActivityState"/>), and deletes each at its end. Fail-open: a Redis outage only
/// leaves the activities unseen (logged once per outage); a backup never waits on Redis.
/// </summary>
public sealed partial class ActivityPublisher(IConnectionMultiplexer redis, TimeProvider time, ILogger<ActivityPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, LiveActivity> live = new();
    private bool failing;

    public LiveActivity Begin(Guid id, Guid tenantId, Guid clientId, string kind)
    {
        var activity = new LiveActivity(id, tenantId, clientId, kind, time.GetUtcNow());
        live[id] = activity;
        return activity;
    }

    public void End(LiveActivity activity)
    {
        live.TryRemove(activity.Id, out _);
        var db = redis.GetDatabase();
        // Fire and forget: the expiry removes what a failed delete leaves.
        _ = db.KeyDeleteAsync(ActivityState.Key(activity.Id), CommandFlags.FireAndForget);
        _ = db.SortedSetRemoveAsync(ActivityState.IndexKey, activity.Id.ToString("D"), CommandFlags.FireAndForget);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (live.IsEmpty) continue;
            try
            {
                await PublishAsync();
                if (failing) LogRecovered();
                failing = false;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (!failing) LogPublishFailed(e.Message);
                failing = true;
            }
        }
    }

    private async Task PublishAsync()
    {
        var now = time.GetUtcNow();
        var batch = redis.GetDatabase().CreateBatch();
        var writes = new List<Task>();
        foreach (var activity in live.Values)
        {
            var state = activity.Snapshot(now);
            var key = ActivityState.Key(state.Id);
            writes.Add(batch.HashSetAsync(key, state.ToHash()));
            writes.Add(batch.KeyExpireAsync(key, ActivityState.Expiry));
            writes.Add(batch.SortedSetAddAsync(ActivityState.IndexKey, state.Id.ToString("D"), now.ToUnixTimeMilliseconds()));
        }
        batch.Execute();
        await Task.WhenAll(writes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the running backups' progress to Redis (they go on unseen): {Reason}")]
    private partial void LogPublishFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing the running backups' progress to Redis again")]
    private partial void LogRecovered();
}
