using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.AgentGateway.Data;
using Urb.Contracts.Directory.V1;
using Urb.Domain.Errors;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// The enrolled agent behind a call, from its client certificate. Kestrel has already checked
/// that the certificate chains to the installation's CA; here the gateway checks that it issued
/// this serial and has not revoked it, and asks Urb.Api whether the client still exists and
/// still trusts certificates this old.
/// </summary>
public sealed class AgentIdentityResolver(GatewayDbContext db, ClientDirectory.ClientDirectoryClient directory, TimeProvider time)
{
    private static readonly TimeSpan DirectoryDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The agent's credential and its client as the catalog knows it now: a deleted client, or revoked credentials, are refused here.</summary>
    public async Task<(AgentCredential Credential, ClientIdentity Client)> ResolveLiveAsync(ServerCallContext context)
    {
        var credential = await ResolveAsync(context);
        return (credential, await CheckClientAsync(credential, context));
    }

    /// <summary>The credential's client as the catalog knows it now; refuses a deleted client or revoked credentials.</summary>
    public async Task<ClientIdentity> CheckClientAsync(AgentCredential credential, ServerCallContext context)
    {
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
        if (client.CredentialsRevokedAt is { } revoked && credential.IssuedAt <= revoked.ToDateTimeOffset())
        {
            throw new UnauthenticatedException("This agent's credentials were revoked by an administrator; enrol the agent again with a new token.");
        }
        await RetireOlderCredentialsOnFirstUseAsync(credential, context.CancellationToken);
        return client;
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
            throw new UnauthenticatedException("This agent's certificate has been revoked (replaced by a newer one, or by an administrator); enrol the agent again if it has no newer one.");
        }
        if (credential.ExpiresAt <= time.GetUtcNow())
        {
            throw new UnauthenticatedException("This agent's certificate has expired; enrol the agent again.");
        }
        return credential;
    }

    /// <summary>
    /// The first call with a certificate proves the agent saved it: the client's older
    /// certificates (before a renewal or a new enrolment) are revoked then, once.
    /// </summary>
    private async Task RetireOlderCredentialsOnFirstUseAsync(AgentCredential credential, CancellationToken cancellationToken)
    {
        if (credential.FirstUsedAt is not null) return;
        var now = time.GetUtcNow();
        await db.AgentCredentials
            .Where(c => c.ClientId == credential.ClientId && c.IssuedAt < credential.IssuedAt && c.RevokedAt == null)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.RevokedAt, now), cancellationToken);
        await db.AgentCredentials
            .Where(c => c.Serial == credential.Serial && c.FirstUsedAt == null)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.FirstUsedAt, now), cancellationToken);
        credential.FirstUsedAt = now;
    }
}
