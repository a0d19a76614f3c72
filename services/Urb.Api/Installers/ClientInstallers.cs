using Microsoft.EntityFrameworkCore;
using Npgsql;
using Urb.Api.Data;
using Urb.Api.Enrollment;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Api.Installers;

/// <summary>An installer for a client: a new one-time token, spent by the installer's enrolment, plus the agent's files.</summary>
public sealed class ClientInstallers(ApiDbContext db, EnrollmentTokenIssuer tokens, InstallerBuilder builder, TimeProvider time)
{
    public async Task<(string FileName, byte[] Content, DateTimeOffset TokenExpiresAt)> CreateAsync(
        ApiCaller caller, Client client, InstallerPlatform platform, TimeSpan? tokenValidFor, CancellationToken cancellationToken)
    {
        caller.EnsureCanManage(client.TenantId, "the client");
        builder.EnsureAvailable();
        var tenantName = await db.Tenants.Where(t => t.Id == client.TenantId).Select(t => t.Name).SingleAsync(cancellationToken);
        var (token, expiresAt) = tokens.Issue(client.Id, tokenValidFor, "token_valid_for");
        var content = await builder.BuildAsync(platform,
            new InstallerValues(client.Name, tenantName, tokens.ServerAddress, token.ToString(), expiresAt), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return (InstallerBuilder.FileName(platform, client.Name), content, expiresAt);
    }

    /// <summary>The live client of this name in the caller's tenant, made when missing (the bootstrap of a new machine).</summary>
    public async Task<Client> FindOrCreateAsync(ApiCaller caller, string name, CancellationToken cancellationToken)
    {
        var clientName = ClientName.Validate(name, "client");
        var tenantId = caller.ResolveTenant(null, Tenant.DefaultId);
        caller.EnsureCanManage(tenantId, "the tenant");
        var existing = await db.Clients.SingleOrDefaultAsync(c => c.TenantId == tenantId && c.Name == clientName && c.DeletedAt == null, cancellationToken);
        if (existing is not null) return existing;
        var client = new Client { Id = Guid.NewGuid(), TenantId = tenantId, Name = clientName, CreatedAt = time.GetUtcNow() };
        db.Clients.Add(client);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new AlreadyExistsException($"A client named '{clientName}' was made at the same moment; try again.");
        }
        return client;
    }
}
