using Grpc.Core;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using Urb.Scheduler.Cleanup;
using Urb.Scheduler.Dispatch;

namespace Urb.Scheduler;

/// <summary>
/// Every <see cref="SchedulerOptions.TickInterval"/>: one dispatch tick, then the nightly cleanup
/// when its window is open. A tick that cannot reach a dependency is logged and the next one
/// tries again; nothing is lost, since every tick starts from the catalog.
/// </summary>
public sealed partial class SchedulerLoop(IServiceScopeFactory scopes, SchedulerClock clock, IOptions<SchedulerOptions> options, ILogger<SchedulerLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.TickInterval;
        if (interval <= TimeSpan.Zero)
        {
            LogOff();
            return;
        }
        using var timer = new PeriodicTimer(interval, clock.Time);
        do
        {
            await TickAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<DispatchCycle>().RunOnceAsync(cancellationToken);
            if (report.Queued + report.Started + report.Cancelled + report.Finished > 0)
            {
                LogTick(report.Queued, report.Started, report.Cancelled, report.Finished, report.Waiting, report.Running);
            }
            await scope.ServiceProvider.GetRequiredService<NightlyCleanup>().RunIfDueAsync(cancellationToken);
        }
        catch (Exception e) when (e is RpcException or RedisException or NpgsqlException or TimeoutException
            or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            LogTickFailed(e.GetType().Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler:TickInterval is 0: no backups are started and no cleanup runs (the Jobs API still answers)")]
    private partial void LogOff();

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick: {Queued} queued, {Started} started, {Cancelled} cancelled, {Finished} settled; {Waiting} waiting, {Running} running")]
    private partial void LogTick(int queued, int started, int cancelled, int finished, int waiting, int running);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler tick failed, the next one retries: {Kind}: {Reason}")]
    private partial void LogTickFailed(string kind, string reason);
}
