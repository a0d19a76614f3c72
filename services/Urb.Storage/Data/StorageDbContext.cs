using Microsoft.EntityFrameworkCore;

namespace Urb.Storage.Data;

/// <summary>Urb.Storage's tables in schema <c>storage</c>: the tenants' wrapped keys.</summary>
public sealed class StorageDbContext(DbContextOptions<StorageDbContext> options) : DbContext(options)
{
    public const string Schema = "storage";

    public DbSet<TenantKeyRecord> TenantKeys => Set<TenantKeyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<TenantKeyRecord>(k =>
        {
            k.ToTable("tenant_keys");
            k.HasKey(x => x.TenantId);
        });
    }
}
