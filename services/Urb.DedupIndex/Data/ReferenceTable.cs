using Npgsql;
using NpgsqlTypes;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.DedupIndex.Data;

/// <summary>The <c>chunk_refs</c> table: which client uses which chunk.</summary>
public sealed class ReferenceTable(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Adds the references that do not exist yet and returns the IDs of those (concatenated).
    /// A new reference gets <c>touched_at</c> = now, so a garbage collection that marked before this
    /// commit does not remove it. One that exists is not rewritten: an incremental backup names
    /// every unchanged file of a changed directory again, and rewriting those rows was half of its
    /// commit (docs/architecture.md, "The catalog's size").
    /// </summary>
    public Task<byte[]> AddAsync(Guid tenant, Guid client, byte[][] ids, CancellationToken cancellationToken) =>
        Sql.RetryOnDeadlockAsync(() => AddOnceAsync(tenant, client, ids, cancellationToken));

    private async Task<byte[]> AddOnceAsync(Guid tenant, Guid client, byte[][] ids, CancellationToken cancellationToken)
    {
        var distinct = Sorted(ids);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two statements, each in proportion to the batch whatever the planner estimates (see
        // Sql.ChunksNamed). One statement joining unnest(@ids) with dedup.chunks and its inserted
        // rows was quadratic when the tenant's rows were newer than the table's statistics (a new
        // tenant's first backup): planned for one row, it ran the whole batch once per stored row.
        var rows = await RowNumbersAsync(connection, tenant, distinct, cancellationToken);
        if (rows.Count < distinct.Length) throw await MissingChunkAsync(connection, tenant, ids, cancellationToken);
        // Rows are written in row-number order, so concurrent overlapping calls lock in the same order.
        var numbers = rows.Keys.Order().ToArray();
        await using var insert = Sql.Command(connection, """
            INSERT INTO dedup.chunk_refs (chunk_row_id, client_id, touched_at)
            SELECT u.row_id, @client, @now FROM unnest(@rows) AS u(row_id) ORDER BY u.row_id
            ON CONFLICT (chunk_row_id, client_id) DO NOTHING
            RETURNING chunk_row_id
            """, Sql.Uuid("client", client), Sql.Array("rows", NpgsqlDbType.Bigint, numbers), Sql.Timestamp("now", time.GetUtcNow()));
        insert.Transaction = transaction;
        try
        {
            var added = new MemoryStream();
            await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
            {
                // A returned row was inserted: the reference is new.
                while (await reader.ReadAsync(cancellationToken)) added.Write(rows[reader.GetInt64(0)]);
            }
            await transaction.CommitAsync(cancellationToken);
            return added.ToArray();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // A chunk found above was deleted before the reference committed (garbage collection).
            await transaction.RollbackAsync(cancellationToken);
            throw await MissingChunkAsync(connection, tenant, ids, cancellationToken);
        }
    }

    /// <summary>
    /// The row numbers (<c>chunks.id</c>) of those of <paramref name="ids"/> stored for the tenant,
    /// with their IDs. An ID that is not stored simply has no row, so the count tells whether all were there.
    /// </summary>
    private static async Task<Dictionary<long, byte[]>> RowNumbersAsync(
        NpgsqlConnection connection, Guid tenant, byte[][] ids, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, byte[]>(ids.Length);
        await using var command = Sql.Command(connection,
            $"SELECT c.id, c.chunk_id FROM {Sql.ChunksNamed("id, chunk_id")}",
            Sql.Uuid("tenant", tenant), Sql.ByteaArray("ids", ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows[reader.GetInt64(0)] = reader.GetFieldValue<byte[]>(1);
        return rows;
    }

    /// <summary>The refusal of a batch that names a chunk not stored for the tenant (the first in request order); nothing of it is written.</summary>
    private static async Task<FailedPreconditionException> MissingChunkAsync(
        NpgsqlConnection connection, Guid tenant, byte[][] ids, CancellationToken cancellationToken)
    {
        var missing = await Sql.FirstMissingChunkAsync(connection, tenant, ids, condemnedIsMissing: false, cancellationToken);
        return new FailedPreconditionException(missing is null
            ? "A chunk to reference is not stored for this tenant."
            : $"Chunk {ChunkId.ToHex(missing)} is not stored for this tenant; a reference needs stored content.");
    }

    /// <summary>Each ID once (a reference can be written once per statement), in ID order.</summary>
    private static byte[][] Sorted(byte[][] ids) => ids.Distinct(ChunkIdComparer.Instance).Order(ChunkIdComparer.Instance).ToArray();

    /// <summary>Removes the references that exist and returns how many did.</summary>
    public async Task<int> RemoveAsync(Guid tenant, Guid client, byte[][] ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, $"""
            DELETE FROM dedup.chunk_refs r USING (SELECT c.id FROM {Sql.ChunksNamed("id")}) c
            WHERE r.chunk_row_id = c.id AND r.client_id = @client
            """,
            Sql.Uuid("tenant", tenant), Sql.Uuid("client", client), Sql.ByteaArray("ids", ids));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
