using StackExchange.Redis;
using Urb.Contracts.Agents;

namespace Urb.Api.Grpc;

/// <summary>Tells the gateways that a client's agents are cut off, so they close its open streams now (see <see cref="AgentNotices.CutOff"/>).</summary>
public sealed partial class AgentCutOffAnnouncer(IConnectionMultiplexer redis, ILogger<AgentCutOffAnnouncer> logger)
{
    public async Task AnnounceAsync(Guid clientId)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(AgentNotices.CutOff), clientId.ToString());
        }
        catch (RedisException e)
        {
            // The catalog is changed already, so every new call of the agent is refused; only
            // streams open right now keep running until they end.
            LogNotAnnounced(e, clientId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the gateways that client {ClientId} is cut off (Redis unavailable); its open streams run until they end")]
    private partial void LogNotAnnounced(Exception e, Guid clientId);
}
