extern alias DedupIndexService;

using DedupIndexService::Urb.DedupIndex.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Urb.EndToEnd.Tests.Infrastructure;
using Urb.ServiceDefaults.Data;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Upgrades of the <c>dedup</c> schema keep what an installation already holds: each test
/// migrates a database of its own to the migration before, writes rows the way that version
/// did, then migrates to the latest and reads them back.
/// </summary>
public sealed class DedupIndexMigrationTests
{
    private const string BeforeChunkRefsKeyedByChunk = "20261127001611_GarbageCollection";

    [Fact]
    public async Task ChunkRefsKeyedByChunk_ExistingReferences_AreKeptAndStillUnique()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var (tenant, clientA, clientB) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (shared, onlyA) = (RandomId(), RandomId());
        await using (var before = Context(dataSource))
        {
            await before.GetService<IMigrator>().MigrateAsync(BeforeChunkRefsKeyedByChunk);
        }
        await ExecuteAsync(dataSource, """
            INSERT INTO dedup.chunks (tenant_id, chunk_id, pack, "offset", length, plain_length, created_at, is_tree)
            VALUES (@tenant, @shared, 'aa', 0, 10, 20, now(), false), (@tenant, @only_a, 'aa', 10, 10, 20, now(), false);
            INSERT INTO dedup.chunk_refs (tenant_id, client_id, chunk_id, touched_at)
            VALUES (@tenant, @a, @shared, '2026-11-01T00:00:00Z'), (@tenant, @b, @shared, '2026-11-02T00:00:00Z'),
                   (@tenant, @a, @only_a, '2026-11-03T00:00:00Z');
            """, tenant, clientA, clientB, shared, onlyA);

        await using (var after = Context(dataSource))
        {
            await after.Database.MigrateAsync();
        }

        var rows = await ReadReferencesAsync(dataSource);
        Assert.Equal(
            new[]
            {
                (clientA, Convert.ToHexString(onlyA), new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc)),
                (clientA, Convert.ToHexString(shared), new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)),
                (clientB, Convert.ToHexString(shared), new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc)),
            }.OrderBy(r => r.Item1).ThenBy(r => r.Item2),
            rows.OrderBy(r => r.Client).ThenBy(r => r.Chunk).Select(r => (r.Client, r.Chunk, r.TouchedAt)));
        Assert.Equal("tenant_id, chunk_id, client_id", await KeyColumnsAsync(dataSource, "pk_chunk_refs"));
        Assert.Equal(1L, await IndexCountAsync(dataSource));
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource,
            "INSERT INTO dedup.chunk_refs (tenant_id, client_id, chunk_id, touched_at) VALUES (@tenant, @a, @shared, now())",
            tenant, clientA, clientB, shared, onlyA));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        var dangling = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource,
            "DELETE FROM dedup.chunks WHERE chunk_id = @shared", tenant, clientA, clientB, shared, onlyA));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, dangling.SqlState);
    }

    private static DedupDbContext Context(NpgsqlDataSource dataSource) =>
        new((DbContextOptions<DedupDbContext>)UrbDbContextOptions.Configure(new DbContextOptionsBuilder<DedupDbContext>(), dataSource, DedupDbContext.Schema).Options);

    private static byte[] RandomId() => Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray();

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, Guid tenant, Guid a, Guid b, byte[] shared, byte[] onlyA)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("a", a);
        command.Parameters.AddWithValue("b", b);
        command.Parameters.AddWithValue("shared", shared);
        command.Parameters.AddWithValue("only_a", onlyA);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<(Guid Client, string Chunk, DateTime TouchedAt)>> ReadReferencesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT client_id, chunk_id, touched_at FROM dedup.chunk_refs");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, string, DateTime)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetGuid(0), Convert.ToHexString(reader.GetFieldValue<byte[]>(1)), reader.GetDateTime(2)));
        return rows;
    }

    /// <summary>The key's columns in index order, as PostgreSQL stores them.</summary>
    private static async Task<string> KeyColumnsAsync(NpgsqlDataSource dataSource, string index)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT string_agg(a.attname, ', ' ORDER BY k.n)
            FROM pg_index x
            CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
            WHERE x.indexrelid = ('dedup.' || $1)::regclass
            """);
        command.Parameters.AddWithValue(index);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How many indexes <c>chunk_refs</c> has: its key alone.</summary>
    private static async Task<long> IndexCountAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pg_index WHERE indrelid = 'dedup.chunk_refs'::regclass");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
