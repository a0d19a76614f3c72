using Microsoft.EntityFrameworkCore;

namespace Urb.AgentGateway.Data;

/// <summary>Urb.AgentGateway's tables in schema <c>gateway</c>: the credentials it issued to agents.</summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public const string Schema = "gateway";

    public DbSet<AgentCredential> AgentCredentials => Set<AgentCredential>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<AgentCredential>(c =>
        {
            c.HasKey(x => x.Serial);
            c.Property(x => x.Serial).HasMaxLength(64);
            c.Property(x => x.Hostname).HasMaxLength(255);
            c.HasIndex(x => x.ClientId);
        });
    }
}
