using Google.Protobuf.WellKnownTypes;
using StackExchange.Redis;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Scheduler.V1;
using Urb.ServiceDefaults.Activities;
using SchedulerJobs = Urb.Contracts.Scheduler.V1.Jobs.JobsClient;

namespace Urb.Api.Activities;

/// <summary>What a caller may see: every tenant (null), one tenant, or one client of it.</summary>
public readonly record struct ActivityScope(Guid? TenantId, Guid? ClientId)
{
    public bool Includes(Guid tenantId, Guid clientId) =>
        (TenantId is null || TenantId == tenantId) && (ClientId is null || ClientId == clientId);
}

/// <summary>
/// The running work of a scope: the backups and restores Urb.Ingest publishes in Redis (see
/// <see cref="ActivityState"/>) and the scheduler's queued jobs with their queue position.
/// </summary>
public sealed class ActivityBoard(IConnectionMultiplexer redis, SchedulerJobs scheduler, TimeProvider time)
{
    public static readonly TimeSpan BusyInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan IdleInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SchedulerDeadline = TimeSpan.FromSeconds(10);

    public async Task<ListActivitiesResponse> ListAsync(ActivityScope scope, CancellationToken cancellationToken)
    {
        var jobs = QueuedAsync(scope, cancellationToken);
        var response = new ListActivitiesResponse();
        response.Activities.AddRange(await RunningAsync(scope));
        response.Activities.AddRange(await jobs);
        return response;
    }

    /// <summary>A snapshot every second while something runs or waits, every 5 s otherwise, until cancelled.</summary>
    public async IAsyncEnumerable<ListActivitiesResponse> WatchAsync(
        ActivityScope scope, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var snapshot = await ListAsync(scope, cancellationToken);
            yield return snapshot;
            await Task.Delay(snapshot.Activities.Count > 0 ? BusyInterval : IdleInterval, time, cancellationToken);
        }
    }

    private async Task<IEnumerable<Activity>> RunningAsync(ActivityScope scope)
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow();
        // Members not updated within the expiry belong to a process that died: their hash is gone.
        await db.SortedSetRemoveRangeByScoreAsync(ActivityState.IndexKey, double.NegativeInfinity, (now - ActivityState.Expiry).ToUnixTimeMilliseconds());
        var ids = (await db.SortedSetRangeByRankAsync(ActivityState.IndexKey))
            .Select(m => Guid.TryParse((string?)m, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        var hashes = await Task.WhenAll(ids.Select(id => db.HashGetAllAsync(ActivityState.Key(id))));
        return ids.Zip(hashes, ActivityState.FromHash)
            .OfType<ActivityState>()
            .Where(s => scope.Includes(s.TenantId, s.ClientId))
            .OrderBy(s => s.StartedAt)
            .Select(ToMessage);
    }

    private async Task<IEnumerable<Activity>> QueuedAsync(ActivityScope scope, CancellationToken cancellationToken)
    {
        var request = new ListJobsRequest { ActiveOnly = true, Limit = 1000 };
        if (scope.TenantId is { } tenant) request.TenantId = tenant.ToString();
        if (scope.ClientId is { } client) request.ClientId = client.ToString();
        var answer = await scheduler.ListJobsAsync(request, deadline: time.GetUtcNow().UtcDateTime + SchedulerDeadline, cancellationToken: cancellationToken);
        return answer.Jobs.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.QueuePosition).Select(j => new Activity
        {
            Id = j.JobId,
            TenantId = j.TenantId,
            ClientId = j.ClientId,
            Kind = ActivityKind.Queued,
            QueuePosition = j.QueuePosition,
            StartedAt = j.QueuedAt,
        });
    }

    public static Activity ToMessage(ActivityState state)
    {
        var remaining = state.BytesTotal - state.BytesDone;
        return new Activity
        {
            Id = state.Id.ToString(),
            TenantId = state.TenantId.ToString(),
            ClientId = state.ClientId.ToString(),
            Kind = state.Kind == ActivityState.Restore ? ActivityKind.Restore : ActivityKind.Backup,
            CurrentPath = state.CurrentPath,
            FilesDone = state.FilesDone,
            BytesDone = state.BytesDone,
            FilesTotal = state.FilesTotal,
            BytesTotal = state.BytesTotal,
            TotalsEstimated = state.TotalsEstimated,
            BytesPerSecond = state.BytesPerSecond,
            EtaSeconds = remaining > 0 && state.BytesPerSecond > 0 ? (remaining + state.BytesPerSecond - 1) / state.BytesPerSecond : 0,
            StartedAt = Timestamp.FromDateTimeOffset(state.StartedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(state.UpdatedAt),
            ReportedByAgent = state.ReportedByAgent,
        };
    }
}
