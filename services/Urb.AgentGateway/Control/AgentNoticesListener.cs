using StackExchange.Redis;
using Urb.AgentGateway.Grpc;
using Urb.Contracts.Agents;
using Urb.Contracts.Gateway.V1;
using Urb.ServiceDefaults.Agents;

namespace Urb.AgentGateway.Control;

/// <summary>
/// What reaches this gateway replica through Redis for the agents it holds: clients cut off
/// (their open calls end at once), settings changed (their agents fetch them again), and
/// commands routed to this replica's control streams.
/// </summary>
public sealed partial class AgentNoticesListener(
    IConnectionMultiplexer redis, LiveAgentCalls calls, ControlStreams streams, ILogger<AgentNoticesListener> logger) : BackgroundService
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
                var subscriber = redis.GetSubscriber();
                await subscriber.SubscribeAsync(RedisChannel.Literal(AgentNotices.CutOff), (_, message) => OnCutOff(message));
                await subscriber.SubscribeAsync(RedisChannel.Literal(AgentNotices.SettingsChanged), (_, message) => streams.SettingsChanged(message.ToString()));
                await subscriber.SubscribeAsync(AgentCommandBus.ReplicaChannel(streams.ReplicaId), (_, message) => OnCommand(message));
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

    private void OnCommand(RedisValue message)
    {
        try
        {
            streams.Deliver(RoutedCommand.Parser.ParseFrom((byte[])message!));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            LogMalformedCommand(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot listen for agent notices yet (Redis unavailable: {Reason}); retrying")]
    private partial void LogSubscribeFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} was cut off: closed its {Count} open call(s)")]
    private partial void LogClosed(Guid clientId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A routed command could not be read: {Reason}")]
    private partial void LogMalformedCommand(string reason);
}
