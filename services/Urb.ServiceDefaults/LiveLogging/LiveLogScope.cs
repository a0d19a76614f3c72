namespace Urb.ServiceDefaults.LiveLogging;

/// <summary>
/// Which events a reader gets: one tenant's (null: every tenant and the installation-wide events,
/// which only a global admin is given), one client's (null: all of them), at or above a level.
/// </summary>
public readonly record struct LiveLogScope(Guid? TenantId, Guid? ClientId, LiveLogLevel MinLevel)
{
    /// <summary>One client's own events: an agent reading its log sees nothing of its tenant's other clients.</summary>
    public static LiveLogScope OfClient(Guid tenantId, Guid clientId, LiveLogLevel minLevel) => new(tenantId, clientId, minLevel);

    public bool Includes(LiveLogEntry e) =>
        e.Level >= MinLevel && (TenantId is null || e.TenantId == TenantId) && (ClientId is null || e.ClientId == ClientId);
}
