using Urb.ServiceDefaults.LiveLogging;

namespace Urb.Api.LiveLog;

/// <summary>
/// Which events a caller gets: one tenant's (null: every tenant and the installation-wide events,
/// which only a global admin is given), one client's (null: all of them), at or above a level.
/// </summary>
public readonly record struct LogScope(Guid? TenantId, Guid? ClientId, LiveLogLevel MinLevel)
{
    public bool Includes(LiveLogEntry e) =>
        e.Level >= MinLevel && (TenantId is null || e.TenantId == TenantId) && (ClientId is null || e.ClientId == ClientId);
}
