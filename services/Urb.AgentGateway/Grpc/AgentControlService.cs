using Grpc.Core;
using Urb.AgentGateway.Control;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Errors;
using Urb.ServiceDefaults.Agents;
using Urb.ServiceDefaults.LiveLogging;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// The control stream of an agent daemon: the server's way to reach an agent behind NAT. The
/// agent keeps it open with heartbeats; commands routed to this replica (Redis) are written to it.
/// </summary>
public sealed partial class AgentControlService(
    AgentIdentityResolver identities, LiveAgentCalls liveCalls, ControlStreams streams, AgentCommandBus commands, GatewayMetrics metrics,
    LiveLog liveLog, ILogger<AgentControlService> logger)
    : AgentControl.AgentControlBase
{
    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<ServerCommand> responseStream, ServerCallContext context)
    {
        var credential = await identities.ResolveAsync(context);
        using var live = liveCalls.Track(credential.ClientId, context.CancellationToken);
        var client = await identities.CheckClientAsync(credential, context);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(live.Token);
        idle.CancelAfter(streams.Heartbeat * 3);
        if (!await requestStream.MoveNext(idle.Token) || requestStream.Current.KindCase != AgentMessage.KindOneofCase.Hello)
        {
            throw new InvalidInputException("hello", "A control stream begins with the agent's hello.");
        }
        var hello = requestStream.Current.Hello;
        var session = new ControlSession(credential.ClientId, Guid.Parse(client.TenantId));
        await streams.RegisterAsync(session);
        LogConnected(client.ClientName, credential.ClientId, hello.AgentVersion, streams.ReplicaId);
        liveLog.Publish(LiveLogEvent.ForClient(session.TenantId, credential.ClientId, LiveLogLevel.Debug,
            $"Control stream of {client.ClientName} connected (agent {hello.AgentVersion})"));
        try
        {
            await responseStream.WriteAsync(new ServerCommand
            {
                CommandId = Guid.CreateVersion7().ToString(),
                Welcome = new ControlWelcome { HeartbeatSeconds = (int)streams.Heartbeat.TotalSeconds },
            }, live.Token);
            var writing = WriteCommandsAsync(session, responseStream, idle.Token);
            await ReadAgentAsync(requestStream, session, idle);
            session.Commands.Writer.TryComplete();
            await writing;
        }
        catch (Exception e) when (live.IsCutOff && e is OperationCanceledException or IOException)
        {
            throw LiveAgentCall.CutOffError();
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"No heartbeat from the agent for {streams.Heartbeat.TotalSeconds * 3:0} s; reconnect."));
        }
        finally
        {
            session.Commands.Writer.TryComplete();
            await streams.UnregisterAsync(session);
            LogDisconnected(credential.ClientId);
            liveLog.Publish(LiveLogEvent.ForClient(session.TenantId, credential.ClientId, LiveLogLevel.Debug,
                $"Control stream of {client.ClientName} closed"));
        }
    }

    private async Task ReadAgentAsync(IAsyncStreamReader<AgentMessage> requestStream, ControlSession session, CancellationTokenSource idle)
    {
        while (await requestStream.MoveNext(idle.Token))
        {
            idle.CancelAfter(streams.Heartbeat * 3);
            switch (requestStream.Current.KindCase)
            {
                case AgentMessage.KindOneofCase.Heartbeat:
                    await streams.RenewRouteAsync(session);
                    break;
                case AgentMessage.KindOneofCase.Outcome:
                    var outcome = requestStream.Current.Outcome;
                    LogOutcome(session.ClientId, outcome.CommandId, outcome.Succeeded, outcome.Message);
                    await PublishOutcomeAsync(session.ClientId, outcome);
                    break;
            }
        }
    }

    /// <summary>Passes the outcome on to whoever follows the command (the scheduler's jobs); the stream goes on if Redis cannot take it.</summary>
    private async Task PublishOutcomeAsync(Guid clientId, CommandOutcome outcome)
    {
        try
        {
            await commands.PublishOutcomeAsync(clientId, outcome);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            LogOutcomeNotPublished(clientId, outcome.CommandId, e.Message);
        }
    }

    private async Task WriteCommandsAsync(ControlSession session, IServerStreamWriter<ServerCommand> responseStream, CancellationToken cancellationToken)
    {
        await foreach (var command in session.Commands.Reader.ReadAllAsync(cancellationToken))
        {
            await responseStream.WriteAsync(command, cancellationToken);
            metrics.CommandsDelivered.Add(1, new KeyValuePair<string, object?>("kind", command.KindCase.ToString()));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Control stream of client {ClientName} ({ClientId}, agent {AgentVersion}) held by replica {ReplicaId}")]
    private partial void LogConnected(string clientName, Guid clientId, string agentVersion, string replicaId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Control stream of client {ClientId} closed")]
    private partial void LogDisconnected(Guid clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId}: command {CommandId} succeeded={Succeeded}: {Message}")]
    private partial void LogOutcome(Guid clientId, string commandId, bool succeeded, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId}: outcome of command {CommandId} not published: {Reason}")]
    private partial void LogOutcomeNotPublished(Guid clientId, string commandId, string reason);
}
