using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Urb.ServiceDefaults.Data;

/// <summary>
/// Says in one log line, at start and whenever it changes, whether the service's database is
/// usable, so an operator sees "not migrated" or "unreachable" without reading probe output.
/// </summary>
internal sealed partial class DatabaseStatusMonitor<TContext>(
    DatabaseStatus<TContext> status, ILogger<DatabaseStatusMonitor<TContext>> logger, TimeProvider time)
    : BackgroundService where TContext : DbContext
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        bool? wasReady = null;
        string? lastReason = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var (ready, reason) = await status.CheckAsync(stoppingToken);
            if (ready != wasReady || (!ready && reason != lastReason))
            {
                if (ready) LogReady(logger, reason);
                else LogNotReady(logger, reason);
            }
            (wasReady, lastReason) = (ready, reason);
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Reason}")]
    private static partial void LogReady(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database not ready: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string reason);
}
