using System.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Directory.V1;
using Urb.Domain.Errors;

namespace Urb.AgentGateway.Grpc;

/// <summary>Calls of enrolled agents (mutual TLS).</summary>
public sealed class AgentSessionService(
    AgentIdentityResolver identities,
    ClientDirectory.ClientDirectoryClient directory,
    TimeProvider time) : AgentSession.AgentSessionBase
{
    private static readonly TimeSpan DirectoryDeadline = TimeSpan.FromSeconds(15);
    private static readonly string ServerVersion =
        typeof(AgentSessionService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public override async Task<GetStatusResponse> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var credential = await identities.ResolveAsync(context);
        ClientIdentity client;
        try
        {
            client = await directory.GetClientIdentityAsync(
                new GetClientIdentityRequest { ClientId = credential.ClientId.ToString() },
                deadline: time.GetUtcNow().UtcDateTime + DirectoryDeadline,
                cancellationToken: context.CancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new UnauthenticatedException("This agent's client is not known to the server any more (it was deleted); enrol again with a new token.");
        }
        return new GetStatusResponse
        {
            ClientId = client.ClientId,
            ClientName = client.ClientName,
            TenantId = client.TenantId,
            TenantName = client.TenantName,
            ServerVersion = ServerVersion,
            ServerTime = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            CertificateExpiresAt = Timestamp.FromDateTimeOffset(credential.ExpiresAt),
        };
    }
}
