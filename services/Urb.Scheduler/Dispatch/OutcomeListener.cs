using StackExchange.Redis;
using Urb.ServiceDefaults.Agents;

namespace Urb.Scheduler.Dispatch;

/// <summary>
/// Follows what agents report about commands (published by the gateways) and ends the matching
/// jobs. A report lost while Redis or this process was down is made up for by the dispatch tick,
/// which finds the finished backup in the catalog or times the job out.
/// </summary>
public sealed partial class OutcomeListener(AgentCommandBus commands, IServiceScopeFactory scopes, ILogger<OutcomeListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await commands.SubscribeOutcomesAsync(async (clientId, outcome) =>
                {
                    try
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        await scope.ServiceProvider.GetRequiredService<JobOutcomes>().ApplyAsync(clientId, outcome, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogNotApplied(outcome.CommandId, e.Message);
                    }
                });
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogNotSubscribed(e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not follow agents' reports, will retry: {Reason}")]
    private partial void LogNotSubscribed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The report on command {CommandId} was not applied (the next tick settles the job): {Reason}")]
    private partial void LogNotApplied(string commandId, string reason);
}
