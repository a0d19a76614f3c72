using StackExchange.Redis;
using Urb.Contracts.Agents;

namespace Urb.Api.Settings;

/// <summary>
/// Tells the gateways that a settings layer changed, so they tell the connected agents it
/// concerns to fetch their settings again (see <see cref="AgentNotices.SettingsChanged"/>).
/// </summary>
public sealed partial class SettingsChangeAnnouncer(IConnectionMultiplexer redis, ILogger<SettingsChangeAnnouncer> logger)
{
    public async Task AnnounceAsync(SettingsLayerId layer)
    {
        var message = layer.IsGlobal ? AgentNotices.GlobalScope : $"{layer.Scope}:{layer.Id}";
        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(AgentNotices.SettingsChanged), message);
        }
        catch (RedisException e)
        {
            // Agents fetch their settings before each backup and at each reconnect anyway.
            LogNotAnnounced(e, message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the gateways that the settings of {Layer} changed (Redis unavailable); agents see them at their next fetch")]
    private partial void LogNotAnnounced(Exception e, string layer);
}
