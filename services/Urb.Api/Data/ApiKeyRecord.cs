using Urb.Domain.Identity;

namespace Urb.Api.Data;

/// <summary>An API key as stored: role, tenant scope and the hash of its secret.</summary>
public sealed class ApiKeyRecord
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required byte[] SecretHash { get; set; }
    public ApiRole Role { get; set; }
    /// <summary>The tenant a tenant-scoped key belongs to; null for a global admin.</summary>
    public Guid? TenantId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
