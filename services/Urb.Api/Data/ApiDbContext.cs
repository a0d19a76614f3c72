using Microsoft.EntityFrameworkCore;

namespace Urb.Api.Data;

/// <summary>Urb.Api's catalog: tenants, clients, enrolment tokens and API keys, in schema <c>api</c>.</summary>
public sealed class ApiDbContext(DbContextOptions<ApiDbContext> options) : DbContext(options)
{
    public const string Schema = "api";

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<EnrollmentTokenRecord> EnrollmentTokens => Set<EnrollmentTokenRecord>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<SettingRecord> Settings => Set<SettingRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<Tenant>(t =>
        {
            t.Property(x => x.Name).HasMaxLength(128);
            t.HasIndex(x => x.Name).IsUnique();
            t.HasData(new Tenant { Id = Tenant.DefaultId, Name = "default", CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        });

        modelBuilder.Entity<Client>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(64);
            c.Property(x => x.EnrolledHostname).HasMaxLength(255);
            c.HasOne(x => x.Tenant).WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
            // A name is unique among a tenant's live clients; a deleted client frees its name.
            c.HasIndex(x => new { x.TenantId, x.Name }).IsUnique().HasFilter("deleted_at IS NULL");
        });

        modelBuilder.Entity<EnrollmentTokenRecord>(t =>
        {
            t.ToTable("enrollment_tokens");
            t.Property(x => x.Id).HasMaxLength(32);
            t.HasIndex(x => x.ClientId);
            t.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ApiKeyRecord>(k =>
        {
            k.ToTable("api_keys");
            k.Property(x => x.Id).HasMaxLength(32);
            k.Property(x => x.Name).HasMaxLength(128);
            k.Property(x => x.Role).HasConversion<string>().HasMaxLength(32);
            k.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SettingRecord>(s =>
        {
            // No foreign key: the scope names a tenant, a client or nothing (global).
            s.HasKey(x => new { x.Scope, x.ScopeId, x.Key });
            s.Property(x => x.Scope).HasMaxLength(16);
            s.Property(x => x.Key).HasMaxLength(64);
        });
    }
}
