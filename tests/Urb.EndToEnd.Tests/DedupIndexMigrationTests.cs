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
    private const string BeforeChunkRefsByChunkRow = "20261127001611_GarbageCollection";

    [Fact]
    public async Task ChunkRefsByChunkRow_ExistingReferences_AreKeptAndStillUniqueAndChecked()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var rows = await SeedBeforeAsync(dataSource);

        await using (var after = Context(dataSource))
        {
            await after.Database.MigrateAsync();
        }

        Assert.Equal(rows.Expected, await ReadReferencesAsync(dataSource, """
            SELECT r.client_id, c.chunk_id, r.touched_at FROM dedup.chunk_refs r JOIN dedup.chunks c ON c.id = r.chunk_row_id
            """));
        Assert.Equal("chunk_row_id, client_id", await KeyColumnsAsync(dataSource, "pk_chunk_refs"));
        Assert.Equal(1L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_index WHERE indrelid = 'dedup.chunk_refs'::regclass"));
        Assert.Equal(2L, await ScalarAsync<long>(dataSource, "SELECT count(DISTINCT id) FROM dedup.chunks"));
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource, """
            INSERT INTO dedup.chunk_refs (chunk_row_id, client_id) SELECT id, @a FROM dedup.chunks WHERE chunk_id = @shared
            """, rows));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        var dangling = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource,
            "DELETE FROM dedup.chunks WHERE chunk_id = @shared", rows));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, dangling.SqlState);
    }

    [Fact]
    public async Task ChunkRefsByChunkRow_MigratedBack_RestoresTheReferencesAndTheirIndexes()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var rows = await SeedBeforeAsync(dataSource);
        await using (var context = Context(dataSource))
        {
            await context.Database.MigrateAsync();
            await context.GetService<IMigrator>().MigrateAsync(BeforeChunkRefsByChunkRow);
        }

        Assert.Equal(rows.Expected, await ReadReferencesAsync(dataSource, "SELECT client_id, chunk_id, touched_at FROM dedup.chunk_refs"));
        Assert.Equal("tenant_id, client_id, chunk_id", await KeyColumnsAsync(dataSource, "pk_chunk_refs"));
        Assert.Equal("tenant_id, chunk_id", await KeyColumnsAsync(dataSource, "ix_chunk_refs_tenant_id_chunk_id"));
        Assert.Equal(0L, await ScalarAsync<long>(dataSource,
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'dedup' AND table_name = 'chunks' AND column_name = 'id'"));
    }

    /// <summary>Migrates to the version before and writes two chunks and three references the way it did.</summary>
    private static async Task<Seed> SeedBeforeAsync(NpgsqlDataSource dataSource)
    {
        var seed = new Seed(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), RandomId(), RandomId());
        await using (var before = Context(dataSource))
        {
            await before.GetService<IMigrator>().MigrateAsync(BeforeChunkRefsByChunkRow);
        }
        await ExecuteAsync(dataSource, """
            INSERT INTO dedup.chunks (tenant_id, chunk_id, pack, "offset", length, plain_length, created_at, is_tree)
            VALUES (@tenant, @shared, 'aa', 0, 10, 20, now(), false), (@tenant, @only_a, 'aa', 10, 10, 20, now(), false);
            INSERT INTO dedup.chunk_refs (tenant_id, client_id, chunk_id, touched_at)
            VALUES (@tenant, @a, @shared, '2026-11-01T00:00:00Z'), (@tenant, @b, @shared, '2026-11-02T00:00:00Z'),
                   (@tenant, @a, @only_a, '2026-11-03T00:00:00Z');
            """, seed);
        return seed;
    }

    private sealed record Seed(Guid Tenant, Guid A, Guid B, byte[] Shared, byte[] OnlyA)
    {
        /// <summary>The references as (client, chunk in hex, touched_at), in that order.</summary>
        public List<(Guid, string, DateTime)> Expected =>
        [
            .. new[]
            {
                (A, Convert.ToHexString(Shared), new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)),
                (B, Convert.ToHexString(Shared), new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc)),
                (A, Convert.ToHexString(OnlyA), new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc)),
            }.Order(),
        ];
    }

    private static DedupDbContext Context(NpgsqlDataSource dataSource) =>
        new((DbContextOptions<DedupDbContext>)UrbDbContextOptions.Configure(new DbContextOptionsBuilder<DedupDbContext>(), dataSource, DedupDbContext.Schema).Options);

    private static byte[] RandomId() => Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray();

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, Seed seed)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tenant", seed.Tenant);
        command.Parameters.AddWithValue("a", seed.A);
        command.Parameters.AddWithValue("b", seed.B);
        command.Parameters.AddWithValue("shared", seed.Shared);
        command.Parameters.AddWithValue("only_a", seed.OnlyA);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>(client, chunk in hex, touched_at) of each row <paramref name="sql"/> answers, in that order.</summary>
    private static async Task<List<(Guid, string, DateTime)>> ReadReferencesAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, string, DateTime)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetGuid(0), Convert.ToHexString(reader.GetFieldValue<byte[]>(1)), reader.GetDateTime(2)));
        return [.. rows.Order()];
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
}
