using Microsoft.EntityFrameworkCore;
using Npgsql;
using Urb.Scheduler.Data;

namespace Urb.Scheduler.Dispatch;

/// <summary>
/// Counts queued and running jobs in the catalog every <see cref="Interval"/> for the queue
/// gauges, so they are right between ticks (jobs queued through the API) and with ticks off.
/// One grouped count over the partial index of active jobs, cheap at any history length.
/// </summary>
public sealed partial class QueueGauge(IServiceScopeFactory scopes, SchedulerMetrics metrics, ILogger<QueueGauge> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await CountAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CountAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var counts = await scope.ServiceProvider.GetRequiredService<SchedulerDbContext>().Jobs
                .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
                .GroupBy(j => j.Status)
                .Select(g => new { Status = g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
            metrics.Observe(counts.GetValueOrDefault(JobStatus.Queued), counts.GetValueOrDefault(JobStatus.Running));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The gauges keep their last value; the next count tries again.
            LogCountFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count queued and running jobs for the queue gauges: {Reason}")]
    private partial void LogCountFailed(string reason);
}
