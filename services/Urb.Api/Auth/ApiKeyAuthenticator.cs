using Microsoft.EntityFrameworkCore;
using Urb.Api.Data;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Api.Auth;

/// <summary>Turns the bearer API key of a request into an <see cref="ApiCaller"/>, or refuses it.</summary>
public sealed class ApiKeyAuthenticator(ApiDbContext db)
{
    private const string BearerPrefix = "Bearer ";

    public async Task<ApiCaller> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (authorizationHeader is null || !authorizationHeader.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnauthenticatedException("This call needs an API key: send 'authorization: Bearer urbk1.…'.");
        }
        var key = ApiKey.Parse(authorizationHeader[BearerPrefix.Length..]);
        var record = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == key.Id, cancellationToken);
        if (record is null || !SecretToken.Matches(key.Secret, record.SecretHash))
        {
            throw new UnauthenticatedException("The API key is not valid.");
        }
        if (record.RevokedAt is not null)
        {
            throw new UnauthenticatedException("The API key has been revoked.");
        }
        return new ApiCaller(record.Id, record.Role, record.TenantId);
    }
}
