using Urb.Domain.Errors;

namespace Urb.Domain.Identity;

/// <summary>
/// Who is calling Urb.Api, and the rules for what that caller may touch. Every call checks the
/// tenant of the thing it reads or changes against these rules.
/// </summary>
public sealed record ApiCaller(string KeyId, ApiRole Role, Guid? TenantId)
{
    public bool IsGlobalAdmin => Role == ApiRole.GlobalAdmin;

    public bool CanRead(Guid tenantId) => IsGlobalAdmin || TenantId == tenantId;

    public bool CanManage(Guid tenantId) => IsGlobalAdmin || (Role == ApiRole.TenantAdmin && TenantId == tenantId);

    /// <summary>
    /// Throws unless the caller may read the tenant's things. A caller from another tenant is
    /// told "not found", so it cannot even learn that the thing exists.
    /// </summary>
    public void EnsureCanRead(Guid tenantId, string what)
    {
        if (!CanRead(tenantId)) throw new NotFoundException($"{what} was not found.");
    }

    public void EnsureCanManage(Guid tenantId, string what)
    {
        EnsureCanRead(tenantId, what);
        if (!CanManage(tenantId)) throw new PermissionDeniedException($"This API key may only read; changing {what} needs a tenant admin key.");
    }

    /// <summary>The tenant to use when a request leaves it empty: the caller's own, or the default one for a global admin.</summary>
    public Guid ResolveTenant(Guid? requested, Guid defaultTenant) =>
        requested ?? TenantId ?? defaultTenant;
}
