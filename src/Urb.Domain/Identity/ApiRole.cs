namespace Urb.Domain.Identity;

/// <summary>What an API key may do.</summary>
public enum ApiRole
{
    /// <summary>Everything, in every tenant (the installation's operator).</summary>
    GlobalAdmin,
    /// <summary>Read and manage one tenant's clients, settings and backups.</summary>
    TenantAdmin,
    /// <summary>Read one tenant's clients and backups, change nothing.</summary>
    TenantReader,
}
