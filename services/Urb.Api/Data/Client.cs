namespace Urb.Api.Data;

/// <summary>A machine that is backed up. Deleting keeps the row (history) and frees the name.</summary>
public sealed class Client
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EnrolledAt { get; set; }
    public string? EnrolledHostname { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    /// <summary>Agent certificates issued up to this moment are refused (revoked through the API); the agent must enrol again.</summary>
    public DateTimeOffset? CredentialsRevokedAt { get; set; }
}
