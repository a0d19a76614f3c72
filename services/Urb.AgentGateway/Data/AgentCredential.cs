namespace Urb.AgentGateway.Data;

/// <summary>A client certificate issued to an agent: the gateway's record of who holds which serial.</summary>
public sealed class AgentCredential
{
    /// <summary>The certificate's serial number, hex.</summary>
    public required string Serial { get; set; }
    public Guid ClientId { get; set; }
    public Guid TenantId { get; set; }
    public string? Hostname { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>
    /// The first call made with this certificate. That call revokes the client's older
    /// certificates: a renewed (or re-enrolled) agent has proved it saved the new one.
    /// </summary>
    public DateTimeOffset? FirstUsedAt { get; set; }
}
