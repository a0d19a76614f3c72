using Microsoft.Extensions.Options;
using Urb.Api.Data;
using Urb.Api.Options;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Api.Enrollment;

/// <summary>Makes one-time enrolment tokens; the caller saves the context.</summary>
public sealed class EnrollmentTokenIssuer(ApiDbContext db, CaPinProvider caPin, IOptions<EnrollmentOptions> options, TimeProvider time)
{
    private static readonly TimeSpan MinLifetime = TimeSpan.FromSeconds(1);

    /// <summary>Adds a token record for the client and returns the token text (shown once).</summary>
    public (EnrollmentToken Token, DateTimeOffset ExpiresAt) Issue(Guid clientId, TimeSpan? requestedLifetime, string field)
    {
        var lifetime = requestedLifetime ?? options.Value.TokenLifetime;
        if (lifetime < MinLifetime || lifetime > options.Value.MaxTokenLifetime)
        {
            throw new InvalidInputException(field,
                $"A token is valid for 1 second to {options.Value.MaxTokenLifetime.TotalDays:0} days; got {lifetime}.");
        }
        var token = EnrollmentToken.Create(caPin.Pin);
        var now = time.GetUtcNow();
        db.EnrollmentTokens.Add(new EnrollmentTokenRecord
        {
            Id = token.Id,
            SecretHash = SecretToken.Hash(token.Secret),
            ClientId = clientId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        return (token, now + lifetime);
    }

    public string ServerAddress => options.Value.ServerAddress!;
}
