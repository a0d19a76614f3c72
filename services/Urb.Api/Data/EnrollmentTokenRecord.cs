namespace Urb.Api.Data;

/// <summary>A one-time enrolment token as stored: its id and the hash of its secret, never the secret.</summary>
public sealed class EnrollmentTokenRecord
{
    public required string Id { get; set; }
    public required byte[] SecretHash { get; set; }
    public Guid ClientId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
