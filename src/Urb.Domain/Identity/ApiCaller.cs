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

    /// <summary>Throws unless the caller is a global admin (installation-wide things: tenants, global keys).</summary>
    public void EnsureGlobalAdmin(string what)
    {
        if (!IsGlobalAdmin) throw new PermissionDeniedException($"{what} needs a global admin key.");
    }

    /// <summary>
    /// Throws unless the caller may make a key with this role for this tenant: a global admin
    /// makes any key; a tenant admin makes tenant admin and reader keys of its own tenant.
    /// A global admin key belongs to no tenant.
    /// </summary>
    public void EnsureCanIssue(ApiRole role, Guid? tenantId)
    {
        if (role == ApiRole.GlobalAdmin)
        {
            if (tenantId is not null) throw new InvalidInputException("tenant_id", "A global admin key belongs to no tenant; leave tenant_id empty.");
            EnsureGlobalAdmin("Making a global admin key");
            return;
        }
        if (tenantId is not { } tenant) throw new InvalidInputException("tenant_id", "A tenant key needs a tenant.");
        EnsureCanManage(tenant, "the tenant's API keys");
    }

    /// <summary>Throws unless the caller may see a key of this tenant (null: a global admin key, seen only by global admins).</summary>
    public void EnsureCanReadKey(Guid? keyTenantId)
    {
        if (keyTenantId is { } tenant) EnsureCanRead(tenant, "The API key");
        else if (!IsGlobalAdmin) throw new NotFoundException("The API key was not found.");
    }

    /// <summary>The tenant to use when a request leaves it empty: the caller's own, or the default one for a global admin.</summary>
    public Guid ResolveTenant(Guid? requested, Guid defaultTenant) =>
        requested ?? TenantId ?? defaultTenant;
}
