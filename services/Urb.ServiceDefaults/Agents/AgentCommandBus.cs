using Google.Protobuf;
using StackExchange.Redis;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Gateway.V1;
using Urb.Domain.Errors;

namespace Urb.ServiceDefaults.Agents;

/// <summary>
/// Commands for agents the server cannot dial, routed through Redis to the gateway replica that
/// holds the agent's control stream. A connected agent's replica keeps
/// <c>urb:agents:route:&lt;client&gt;</c> (its replica ID, with an expiry its heartbeats renew) and
/// listens on <c>urb:gateway:&lt;replica&gt;:commands</c>. A backup the server starts is marked in
/// <c>urb:agents:command:&lt;id&gt;</c>, so the gateway can tell it from one the agent starts itself.
/// </summary>
public sealed class AgentCommandBus(IConnectionMultiplexer redis)
{
    /// <summary>How long a server-started backup may take to begin after its command.</summary>
    public static readonly TimeSpan CommandMarkLifetime = TimeSpan.FromHours(1);

    public static RedisKey RouteKey(Guid clientId) => $"urb:agents:route:{clientId}";

    public static RedisChannel ReplicaChannel(string replicaId) => RedisChannel.Literal($"urb:gateway:{replicaId}:commands");

    public static RedisKey CommandKey(string commandId) => $"urb:agents:command:{commandId}";

    /// <summary>Where gateways publish what agents report about their commands (<see cref="RoutedOutcome"/>).</summary>
    public static RedisChannel OutcomesChannel { get; } = RedisChannel.Literal("urb:agents:outcomes");

    /// <summary>Whether the client's agent holds a control stream now.</summary>
    public async Task<bool> IsConnectedAsync(Guid clientId) => await redis.GetDatabase().KeyExistsAsync(RouteKey(clientId));

    /// <summary>Which of the clients hold a control stream now; one pipelined round trip for all of them.</summary>
    public async Task<IReadOnlySet<Guid>> ConnectedAmongAsync(IReadOnlyCollection<Guid> clientIds)
    {
        var database = redis.GetDatabase();
        var checks = clientIds.Select(id => (Id: id, Exists: database.KeyExistsAsync(RouteKey(id)))).ToList();
        await Task.WhenAll(checks.Select(c => c.Exists));
        return checks.Where(c => c.Exists.Result).Select(c => c.Id).ToHashSet();
    }

    /// <summary>Sends a command; <see cref="FailedPreconditionException"/> when the agent is not connected. Answers the command ID.</summary>
    public async Task<string> SendAsync(Guid clientId, ServerCommand command)
    {
        var database = redis.GetDatabase();
        var replica = await database.StringGetAsync(RouteKey(clientId));
        if (replica.IsNullOrEmpty) throw NotConnected();
        if (command.CommandId.Length == 0) command.CommandId = Guid.CreateVersion7().ToString();
        if (command.KindCase == ServerCommand.KindOneofCase.StartBackup)
        {
            await database.StringSetAsync(CommandKey(command.CommandId), clientId.ToString(), CommandMarkLifetime);
        }
        var routed = new RoutedCommand { ClientId = clientId.ToString(), Command = command };
        var receivers = await redis.GetSubscriber().PublishAsync(ReplicaChannel(replica.ToString()), routed.ToByteArray());
        if (receivers == 0) throw NotConnected();
        return command.CommandId;
    }

    /// <summary>
    /// Whether a backup start names a command the server sent to this client (each mark is used
    /// once).
    /// </summary>
    public async Task<bool> TakeCommandMarkAsync(string commandId, Guid clientId)
    {
        if (commandId.Length == 0) return false;
        var owner = await redis.GetDatabase().StringGetDeleteAsync(CommandKey(commandId));
        return owner == clientId.ToString();
    }

    /// <summary>Publishes an agent's report about a command; nobody has to listen.</summary>
    public async Task PublishOutcomeAsync(Guid clientId, CommandOutcome outcome)
    {
        var routed = new RoutedOutcome { ClientId = clientId.ToString(), Outcome = outcome };
        await redis.GetSubscriber().PublishAsync(OutcomesChannel, routed.ToByteArray());
    }

    /// <summary>Calls <paramref name="handler"/> for every outcome published from now on (messages that do not parse are skipped).</summary>
    public async Task SubscribeOutcomesAsync(Func<Guid, CommandOutcome, Task> handler)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(OutcomesChannel);
        queue.OnMessage(async message =>
        {
            RoutedOutcome routed;
            try
            {
                routed = RoutedOutcome.Parser.ParseFrom((byte[])message.Message!);
            }
            catch (InvalidProtocolBufferException)
            {
                return;
            }
            if (Guid.TryParse(routed.ClientId, out var clientId) && routed.Outcome is not null)
            {
                await handler(clientId, routed.Outcome);
            }
        });
    }

    private static FailedPreconditionException NotConnected() =>
        new("The client's agent is not connected: it has no control stream open ('agent run'); the command was not sent.");
}
