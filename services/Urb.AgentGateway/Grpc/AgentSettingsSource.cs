using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Urb.AgentGateway.Options;
using Urb.Contracts.Directory.V1;
using Urb.Contracts.Settings;
using Urb.Domain.Settings;

namespace Urb.AgentGateway.Grpc;

/// <summary>An agent's effective settings (from Urb.Api) and where it connects from, for the permission checks on its calls.</summary>
public sealed class AgentSettingsSource(ClientDirectory.ClientDirectoryClient directory, IOptions<GatewayOptions> options, TimeProvider time)
{
    private static readonly TimeSpan DirectoryDeadline = TimeSpan.FromSeconds(15);
    private readonly IReadOnlyList<IPNetwork> localNetworks = options.Value.ParsedLocalNetworks();

    public async Task<Contracts.Settings.V1.EffectiveSettings> MessageForAsync(Guid clientId, CancellationToken cancellationToken) =>
        await directory.GetClientSettingsAsync(
            new GetClientIdentityRequest { ClientId = clientId.ToString() },
            deadline: time.GetUtcNow().UtcDateTime + DirectoryDeadline,
            cancellationToken: cancellationToken);

    public async Task<EffectiveSettings> ForClientAsync(Guid clientId, CancellationToken cancellationToken) =>
        SettingsMessages.FromMessage(await MessageForAsync(clientId, cancellationToken));

    /// <summary>Whether the call comes from outside the local networks (an internet client, in UrBackup's terms).</summary>
    public bool IsFromInternet(ServerCallContext context)
    {
        var address = context.GetHttpContext().Connection.RemoteIpAddress;
        if (address is null) return true;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return !localNetworks.Any(n => n.Contains(address));
    }
}
