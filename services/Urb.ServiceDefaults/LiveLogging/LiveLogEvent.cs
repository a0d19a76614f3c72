namespace Urb.ServiceDefaults.LiveLogging;

/// <summary>
/// One line of the live log: what happened to a backup, restore, cleanup or security decision.
/// <see cref="TenantId"/> is null only for installation-wide events (global admins see those);
/// an event about a client always names the client's tenant, so filtering by tenant is safe.
/// </summary>
public sealed record LiveLogEvent(Guid? TenantId, Guid? ClientId, LiveLogLevel Level, string Message)
{
    /// <summary>An event about one client; the tenant is mandatory.</summary>
    public static LiveLogEvent ForClient(Guid tenantId, Guid clientId, LiveLogLevel level, string message) =>
        new(tenantId, clientId, level, message);

    /// <summary>An event about a tenant, not one client.</summary>
    public static LiveLogEvent ForTenant(Guid tenantId, LiveLogLevel level, string message) =>
        new(tenantId, null, level, message);

    /// <summary>An installation-wide event: visible to global admins only.</summary>
    public static LiveLogEvent Installation(LiveLogLevel level, string message) =>
        new(null, null, level, message);
}
