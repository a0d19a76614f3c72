using Urb.Domain.Content;
using Npgsql;
using NpgsqlTypes;

namespace Urb.DedupIndex.Data;

/// <summary>The <c>chunks</c> table, a whole batch of IDs per statement.</summary>
public sealed class ChunkTable(NpgsqlDataSource dataSource, TimeProvider time)
{
    // Built once: FindChunks runs for every query of every backup.
    private static readonly string FindSql = $"SELECT c.chunk_id FROM {Sql.ChunksNamed("chunk_id", "condemned_at IS NULL")}";

    private static readonly string LocateSql = $"""
        SELECT c.chunk_id, c.pack, c."offset", c.length, c.plain_length, c.is_tree
        FROM {Sql.ChunksNamed("chunk_id, pack, \"offset\", length, plain_length, is_tree")}
        """;

    /// <summary>Which of <paramref name="ids"/> are stored for the tenant (a condemned chunk is not).</summary>
    public async Task<HashSet<byte[]>> FindExistingAsync(Guid tenant, byte[][] ids, CancellationToken cancellationToken)
    {
        var found = new HashSet<byte[]>(ChunkIdComparer.Instance);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, FindSql,
            Sql.Uuid("tenant", tenant), Sql.ByteaArray("ids", ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) found.Add(reader.GetFieldValue<byte[]>(0));
        return found;
    }

    /// <summary>
    /// The placements of those of <paramref name="ids"/> that are stored for the tenant, condemned
    /// or not: a snapshot that committed while its content was being condemned still restores
    /// (the next collection revives that content), and nothing is read that no snapshot names.
    /// </summary>
    public async Task<Dictionary<byte[], ChunkPlacement>> LocateAsync(Guid tenant, byte[][] ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<byte[], ChunkPlacement>(ChunkIdComparer.Instance);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, LocateSql, Sql.Uuid("tenant", tenant), Sql.ByteaArray("ids", ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetFieldValue<byte[]>(0);
            found[id] = new ChunkPlacement(id, reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetBoolean(5));
        }
        return found;
    }

    /// <summary>
    /// Records the placements; a chunk already known (or named twice) keeps its first placement,
    /// so a retried or raced registration never moves a chunk. A condemned chunk registered again
    /// is revived at its new placement, as if new (its old copy is garbage collection's to
    /// reclaim, and a young row is spared by the next run). Returns how many rows were new or revived.
    /// </summary>
    public Task<int> InsertAsync(Guid tenant, IReadOnlyList<ChunkPlacement> placements, CancellationToken cancellationToken) =>
        Sql.RetryOnDeadlockAsync(() => InsertOnceAsync(tenant, placements, cancellationToken));

    private async Task<int> InsertOnceAsync(Guid tenant, IReadOnlyList<ChunkPlacement> placements, CancellationToken cancellationToken)
    {
        // Rows in ID order: concurrent calls with overlapping IDs then lock them in the same
        // order and wait for each other instead of deadlocking. The sort is stable, so of an ID
        // named twice the first placement wins (DO UPDATE may not touch a row twice per statement).
        var chunks = placements.OrderBy(c => c.ChunkId, ChunkIdComparer.Instance).DistinctBy(c => c.ChunkId, ChunkIdComparer.Instance).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, """
            INSERT INTO dedup.chunks (tenant_id, chunk_id, pack, "offset", length, plain_length, created_at, is_tree)
            SELECT @tenant, u.chunk_id, u.pack, u."offset", u.length, u.plain_length, @now, u.is_tree
            FROM unnest(@ids, @packs, @offsets, @lengths, @plain_lengths, @trees) AS u(chunk_id, pack, "offset", length, plain_length, is_tree)
            ON CONFLICT (tenant_id, chunk_id) DO UPDATE
            SET pack = excluded.pack, "offset" = excluded."offset", length = excluded.length, plain_length = excluded.plain_length,
                created_at = excluded.created_at, is_tree = excluded.is_tree, condemned_at = NULL
            WHERE chunks.condemned_at IS NOT NULL
            """,
            Sql.Uuid("tenant", tenant),
            Sql.Timestamp("now", time.GetUtcNow()),
            Sql.ByteaArray("ids", chunks.Select(c => c.ChunkId).ToArray()),
            Sql.Array("packs", NpgsqlDbType.Text, chunks.Select(c => c.Pack).ToArray()),
            Sql.Array("offsets", NpgsqlDbType.Bigint, chunks.Select(c => c.Offset).ToArray()),
            Sql.Array("lengths", NpgsqlDbType.Integer, chunks.Select(c => c.Length).ToArray()),
            Sql.Array("plain_lengths", NpgsqlDbType.Integer, chunks.Select(c => c.PlainLength).ToArray()),
            Sql.Array("trees", NpgsqlDbType.Boolean, chunks.Select(c => c.IsTree).ToArray()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
