using Microsoft.EntityFrameworkCore;
using Urb.Api.Data;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Api.Enrollment;

/// <summary>
/// Spends a one-time token: checks its secret, that it is unused and unexpired, and marks it
/// used and the client enrolled in one transaction (the row is locked, so two agents racing
/// with the same token cannot both win).
/// </summary>
public sealed class EnrollmentTokenRedeemer(ApiDbContext db, TimeProvider time)
{
    public async Task<Client> RedeemAsync(string tokenText, string hostname, CancellationToken cancellationToken)
    {
        var token = EnrollmentToken.Parse(tokenText);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.EnrollmentTokens
            .FromSql($"SELECT * FROM api.enrollment_tokens WHERE id = {token.Id} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (record is null || !SecretToken.Matches(token.Secret, record.SecretHash))
        {
            throw new UnauthenticatedException("This enrolment token is not known to this server.");
        }
        if (record.UsedAt is { } usedAt)
        {
            throw new UnauthenticatedException($"This enrolment token was already used at {usedAt:u}; tokens are single-use. Create a new one for the client.");
        }
        var now = time.GetUtcNow();
        if (record.ExpiresAt <= now)
        {
            throw new UnauthenticatedException($"This enrolment token expired at {record.ExpiresAt:u}. Create a new one for the client.");
        }
        var client = await db.Clients.Include(c => c.Tenant)
            .SingleOrDefaultAsync(c => c.Id == record.ClientId && c.DeletedAt == null, cancellationToken)
            ?? throw new UnauthenticatedException("The client this token was made for has been deleted.");

        record.UsedAt = now;
        client.EnrolledAt = now;
        client.EnrolledHostname = string.IsNullOrWhiteSpace(hostname) ? null : hostname.Trim()[..Math.Min(hostname.Trim().Length, 255)];
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return client;
    }
}
