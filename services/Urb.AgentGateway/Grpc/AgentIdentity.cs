using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.AgentGateway.Data;
using Urb.Domain.Errors;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// The enrolled agent behind a call, from its client certificate. Kestrel has already checked
/// that the certificate chains to the installation's CA; here the gateway checks that it issued
/// this serial and has not revoked it.
/// </summary>
public sealed class AgentIdentityResolver(GatewayDbContext db, TimeProvider time)
{
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
