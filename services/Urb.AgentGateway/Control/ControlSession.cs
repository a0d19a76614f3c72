using System.Threading.Channels;
using Urb.Contracts.Agent.V1;

namespace Urb.AgentGateway.Control;

/// <summary>One agent's control stream on this replica: the commands waiting to be written to it.</summary>
public sealed class ControlSession(Guid clientId, Guid tenantId)
{
    private const int MaxQueuedCommands = 100;

    public Guid ClientId { get; } = clientId;

    public Guid TenantId { get; } = tenantId;

    public Channel<ServerCommand> Commands { get; } = Channel.CreateBounded<ServerCommand>(
        new BoundedChannelOptions(MaxQueuedCommands) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues a command; false when the stream is gone or too far behind.</summary>
    public bool TrySend(ServerCommand command) => Commands.Writer.TryWrite(command);
}
