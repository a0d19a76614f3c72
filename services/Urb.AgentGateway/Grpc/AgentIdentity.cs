using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.AgentGateway.Data;
using Urb.Contracts.Directory.V1;
using Urb.Domain.Errors;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// The enrolled agent behind a call, from its client certificate. Kestrel has already checked
/// that the certificate chains to the installation's CA; here the gateway checks that it issued
/// this serial and has not revoked it.
/// </summary>
public sealed class AgentIdentityResolver(GatewayDbContext db, ClientDirectory.ClientDirectoryClient directory, TimeProvider time)
{
    private static readonly TimeSpan DirectoryDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The agent's credential and its client as the catalog knows it now: a deleted client is refused here.</summary>
    public async Task<(AgentCredential Credential, ClientIdentity Client)> ResolveLiveAsync(ServerCallContext context)
    {
        var credential = await ResolveAsync(context);
        try
        {
            var client = await directory.GetClientIdentityAsync(
                new GetClientIdentityRequest { ClientId = credential.ClientId.ToString() },
                deadline: time.GetUtcNow().UtcDateTime + DirectoryDeadline,
                cancellationToken: context.CancellationToken);
            return (credential, client);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new UnauthenticatedException("This agent's client is not known to the server any more (it was deleted); enrol again with a new token.");
        }
    }

    public async Task<AgentCredential> ResolveAsync(ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw new UnauthenticatedException("This call needs the agent's client certificate: enrol the agent first.");
        var credential = await db.AgentCredentials.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Serial == certificate.SerialNumber, context.CancellationToken)
            ?? throw new UnauthenticatedException("This agent certificate was not issued by this server.");
        if (credential.RevokedAt is not null)
        {
            throw new UnauthenticatedException("This agent's certificate has been revoked; enrol the agent again.");
        }
        if (credential.ExpiresAt <= time.GetUtcNow())
        {
            throw new UnauthenticatedException("This agent's certificate has expired; enrol the agent again.");
        }
        return credential;
    }
}
