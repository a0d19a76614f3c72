using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Urb.AgentGateway.Options;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Gateway.V1;
using Urb.ServiceDefaults.Agents;

namespace Urb.AgentGateway.Control;

/// <summary>
/// The control streams this gateway replica holds, one per client, and their routes in Redis
/// (see <see cref="AgentCommandBus"/>): a route names this replica and expires unless the agent's
/// heartbeats renew it, so a replica that dies leaves no route behind for long.
/// </summary>
public sealed partial class ControlStreams(IConnectionMultiplexer redis, IOptions<GatewayOptions> options, ILogger<ControlStreams> logger)
{
    private readonly ConcurrentDictionary<Guid, ControlSession> sessions = new();

    /// <summary>This process's name in the routes.</summary>
    public string ReplicaId { get; } = Guid.NewGuid().ToString("N");

    public TimeSpan Heartbeat => options.Value.ControlHeartbeat;

    public int Count => sessions.Count;

    private TimeSpan RouteLifetime => Heartbeat * 3;

    /// <summary>Holds the client's stream here; an older stream of the same client (a reconnect) is closed.</summary>
    public async Task RegisterAsync(ControlSession session)
    {
        if (sessions.TryGetValue(session.ClientId, out var older) && older != session) older.Commands.Writer.TryComplete();
        sessions[session.ClientId] = session;
        await RenewRouteAsync(session);
    }

    public async Task RenewRouteAsync(ControlSession session) =>
        await redis.GetDatabase().StringSetAsync(AgentCommandBus.RouteKey(session.ClientId), ReplicaId, RouteLifetime);

    public async Task UnregisterAsync(ControlSession session)
    {
        if (!sessions.TryRemove(new KeyValuePair<Guid, ControlSession>(session.ClientId, session))) return;
        try
        {
            // Only this replica's route (a compare-and-delete): the agent may have reconnected
            // elsewhere meanwhile.
            await redis.GetDatabase().LockReleaseAsync(AgentCommandBus.RouteKey(session.ClientId), ReplicaId);
        }
        catch (RedisException e)
        {
            LogRouteNotRemoved(session.ClientId, e.Message);
        }
    }

    /// <summary>A command routed to this replica: handed to the client's stream if it is held here.</summary>
    public void Deliver(RoutedCommand routed)
    {
        if (!Guid.TryParse(routed.ClientId, out var clientId) || routed.Command is null) return;
        if (!sessions.TryGetValue(clientId, out var session) || !session.TrySend(routed.Command))
        {
            LogNotDelivered(clientId, routed.Command?.CommandId ?? "");
        }
    }

    /// <summary>Tells the agents a settings layer concerns to fetch their settings again.</summary>
    public void SettingsChanged(string scope)
    {
        foreach (var session in sessions.Values)
        {
            var concerned = scope == Contracts.Agents.AgentNotices.GlobalScope
                || scope == $"tenant:{session.TenantId}"
                || scope == $"client:{session.ClientId}";
            if (concerned)
            {
                session.TrySend(new ServerCommand { CommandId = Guid.CreateVersion7().ToString(), RefreshSettings = new RefreshSettingsCommand() });
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} for client {ClientId} not delivered: its control stream is not held here any more")]
    private partial void LogNotDelivered(Guid clientId, string commandId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Route of client {ClientId} not removed (Redis: {Reason}); it expires by itself")]
    private partial void LogRouteNotRemoved(Guid clientId, string reason);
}
