using Microsoft.EntityFrameworkCore;

namespace Urb.Storage.Data;

/// <summary>Urb.Storage's tables in schema <c>storage</c>: the tenants' wrapped keys, and packs rewritten by garbage collection that wait for their deletion.</summary>
public sealed class StorageDbContext(DbContextOptions<StorageDbContext> options) : DbContext(options)
{
    public const string Schema = "storage";

    public DbSet<TenantKeyRecord> TenantKeys => Set<TenantKeyRecord>();
    public DbSet<RetiredPackRecord> RetiredPacks => Set<RetiredPackRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<TenantKeyRecord>(k =>
        {
            k.ToTable("tenant_keys");
            k.HasKey(x => x.TenantId);
        });
        modelBuilder.Entity<RetiredPackRecord>(r =>
        {
            r.ToTable("retired_packs");
            r.HasKey(x => new { x.TenantId, x.Pack });
            r.Property(x => x.Pack).HasMaxLength(64);
        });
    }
}
