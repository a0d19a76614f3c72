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
    public DbSet<GarbageMark> GarbageMarks => Set<GarbageMark>();
    public DbSet<CacheGeneration> CacheGenerations => Set<CacheGeneration>();
    public DbSet<DictionaryRecord> Dictionaries => Set<DictionaryRecord>();

    /// <summary>zstd dictionary IDs: 2^15 up (zstd keeps the IDs below for registered public dictionaries), below 2^31.</summary>
    public const string DictionaryIdSequence = "dictionary_ids";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<ChunkRecord>(c =>
        {
            c.ToTable("chunks");
            c.HasKey(x => new { x.TenantId, x.ChunkId });
            c.Property(x => x.Id).UseIdentityAlwaysColumn();
            c.HasAlternateKey(x => x.Id);
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
            // Chunk before client: the key then also serves everything that goes by chunk (counting
            // a chunk's holders for usage, garbage collection's deletes, the foreign key's check
            // when a chunk row is deleted). Nothing looks up a client's references without
            // naming the chunks. The chunk is its row's number, not (tenant, chunk ID): a row and
            // its key entry are then about half as wide (see bench/RESULTS.md, "the database's share").
            r.HasKey(x => new { x.ChunkRowId, x.ClientId });
            r.Property(x => x.TouchedAt).HasDefaultValueSql("now()");
            // The database itself refuses a reference to a chunk that is not stored; deleting a
            // chunk that is still referenced fails instead of leaving the reference dangling.
            r.HasOne<ChunkRecord>().WithMany()
                .HasForeignKey(x => x.ChunkRowId)
                .HasPrincipalKey(c => c.Id)
                .OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<GarbageMark>(m =>
        {
            m.ToTable("gc_marks");
            m.HasKey(x => new { x.TenantId, x.RunId, x.ChunkId, x.ClientId });
        });

        modelBuilder.HasSequence<int>(DictionaryIdSequence).StartsAt(32768).HasMax(int.MaxValue);

        modelBuilder.Entity<DictionaryRecord>(d =>
        {
            d.ToTable("dictionaries");
            d.HasKey(x => new { x.TenantId, x.DictionaryId });
            d.HasIndex(x => new { x.TenantId, x.ClientId });
            d.HasIndex(x => x.ChunkRowId);
            d.HasOne<ChunkRecord>().WithMany()
                .HasForeignKey(x => x.ChunkRowId)
                .HasPrincipalKey(c => c.Id)
                .OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<CacheGeneration>(g =>
        {
            g.ToTable("cache_generations");
            g.HasKey(x => x.TenantId);
        });
    }
}
