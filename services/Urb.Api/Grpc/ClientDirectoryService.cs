using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.Api.Data;
using Urb.Api.Enrollment;
using Urb.Contracts.Directory.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Api.Grpc;

/// <summary>
/// The catalog as other Urb services see it (the gateway, mostly). Served only on the internal
/// port: it trusts its callers to be Urb services.
/// </summary>
public sealed class ClientDirectoryService(ApiDbContext db, EnrollmentTokenRedeemer redeemer) : ClientDirectory.ClientDirectoryBase
{
    public override async Task<ClientIdentity> RedeemEnrollmentToken(RedeemEnrollmentTokenRequest request, ServerCallContext context)
    {
        var client = await redeemer.RedeemAsync(request.Token, request.Hostname, context.CancellationToken);
        return ToIdentity(client);
    }

    public override async Task<ClientIdentity> GetClientIdentity(GetClientIdentityRequest request, ServerCallContext context)
    {
        var clientId = RequestId.Parse(request.ClientId, "client_id");
        var client = await db.Clients.AsNoTracking().Include(c => c.Tenant)
            .SingleOrDefaultAsync(c => c.Id == clientId && c.DeletedAt == null, context.CancellationToken)
            ?? throw new NotFoundException($"Client {clientId} is not known to this server (never created, or deleted).");
        return ToIdentity(client);
    }

    private static ClientIdentity ToIdentity(Client client) => new()
    {
        ClientId = client.Id.ToString(),
        ClientName = client.Name,
        TenantId = client.TenantId.ToString(),
        TenantName = client.Tenant?.Name ?? "",
        CredentialsRevokedAt = client.CredentialsRevokedAt is { } revoked ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(revoked) : null,
    };
}
