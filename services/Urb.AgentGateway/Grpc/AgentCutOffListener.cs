using StackExchange.Redis;
using Urb.Contracts.Agents;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// Listens on <see cref="AgentNotices.CutOff"/> and closes the open calls of a client that
/// Urb.Api cut off. Every gateway replica listens, so the replica holding the stream closes it.
/// </summary>
public sealed partial class AgentCutOffListener(IConnectionMultiplexer redis, LiveAgentCalls calls, ILogger<AgentCutOffListener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once subscribed, the Redis client subscribes again by itself after a reconnect; only
        // the first subscription needs retrying while Redis is unreachable.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(AgentNotices.CutOff), (_, message) => OnCutOff(message));
                return;
            }
            catch (RedisException e)
            {
                LogSubscribeFailed(e.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private void OnCutOff(RedisValue message)
    {
        if (!Guid.TryParse(message.ToString(), out var clientId)) return;
        var closed = calls.CutOff(clientId);
        if (closed > 0) LogClosed(clientId, closed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot listen for cut-off agents yet (Redis unavailable: {Reason}); retrying")]
    private partial void LogSubscribeFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} was cut off: closed its {Count} open call(s)")]
    private partial void LogClosed(Guid clientId, int count);
}
