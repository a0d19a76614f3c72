using Microsoft.EntityFrameworkCore;

namespace Urb.Ingest.Data;

/// <summary>Urb.Ingest's tables in schema <c>ingest</c>: the backups (snapshots once completed).</summary>
public sealed class IngestDbContext(DbContextOptions<IngestDbContext> options) : DbContext(options)
{
    public const string Schema = "ingest";

    public DbSet<BackupRecord> Backups => Set<BackupRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<BackupRecord>(b =>
        {
            b.ToTable("backups");
            b.HasKey(x => x.Id);
            b.Property(x => x.Status).HasMaxLength(16);
            b.Property(x => x.WarningsJson).HasColumnType("jsonb");
            // A client's snapshots, newest first: listings and "latest".
            b.HasIndex(x => new { x.TenantId, x.ClientId, x.StartedAt });
            // The sweep of backups whose process died.
            b.HasIndex(x => x.HeartbeatAt).HasFilter("status = 'running'");
        });
    }
}
