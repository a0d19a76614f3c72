using Microsoft.EntityFrameworkCore;

namespace Urb.DedupIndex.Data;

/// <summary>
/// Urb.DedupIndex's tables in schema <c>dedup</c> ("index" is a reserved word). EF owns the
/// schema and its migrations; the request paths use Npgsql directly (the <c>*Table</c> classes beside this one),
/// because they move up to 65536 rows per call as arrays.
/// </summary>
public sealed class DedupDbContext(DbContextOptions<DedupDbContext> options) : DbContext(options)
{
    public const string Schema = "dedup";

    public DbSet<ChunkRecord> Chunks => Set<ChunkRecord>();
    public DbSet<FileEntryRecord> FileEntries => Set<FileEntryRecord>();
    public DbSet<ChunkReference> ChunkRefs => Set<ChunkReference>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<ChunkRecord>(c =>
        {
            c.ToTable("chunks");
            c.HasKey(x => new { x.TenantId, x.ChunkId });
            c.Property(x => x.Pack).HasMaxLength(64);
        });

        modelBuilder.Entity<FileEntryRecord>(f =>
        {
            f.ToTable("file_entries");
            f.HasKey(x => new { x.TenantId, x.FileHash });
        });

        modelBuilder.Entity<ChunkReference>(r =>
        {
            r.ToTable("chunk_refs");
            r.HasKey(x => new { x.TenantId, x.ClientId, x.ChunkId });
            // Counting a chunk's holders (usage) and finding them (garbage collection) go by chunk.
            r.HasIndex(x => new { x.TenantId, x.ChunkId });
            // The database itself refuses a reference to a chunk that is not stored; deleting a
            // chunk that is still referenced fails instead of leaving the reference dangling.
            r.HasOne<ChunkRecord>().WithMany()
                .HasForeignKey(x => new { x.TenantId, x.ChunkId })
                .OnDelete(DeleteBehavior.Restrict);
        });
    }
}
