using Npgsql;
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
        // The IDs become their rows' numbers by a join, so an ID that is not stored for the tenant
        // simply yields no row: the count of answered rows tells whether all were there. Rows are
        // written in row-number order, so concurrent overlapping calls lock in the same order.
        await using var command = Sql.Command(connection, """
            WITH named AS (
                SELECT c.id, c.chunk_id FROM unnest(@ids) AS u(chunk_id)
                JOIN dedup.chunks c ON c.tenant_id = @tenant AND c.chunk_id = u.chunk_id
            ), inserted AS (
                INSERT INTO dedup.chunk_refs (chunk_row_id, client_id, touched_at)
                SELECT id, @client, @now FROM named ORDER BY id
                ON CONFLICT (chunk_row_id, client_id) DO NOTHING
                RETURNING chunk_row_id
            )
            SELECT n.chunk_id, i.chunk_row_id IS NOT NULL FROM named n LEFT JOIN inserted i ON i.chunk_row_id = n.id
            """, Sql.Uuid("tenant", tenant), Sql.Uuid("client", client), Sql.ByteaArray("ids", distinct), Sql.Timestamp("now", time.GetUtcNow()));
        command.Transaction = transaction;
        try
        {
            var added = new MemoryStream();
            var answered = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    answered++;
                    // Joined to an inserted row: the reference is new.
                    if (reader.GetBoolean(1)) added.Write(reader.GetFieldValue<byte[]>(0));
                }
            }
            if (answered < distinct.Length) throw await MissingChunkAsync(connection, tenant, ids, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return added.ToArray();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // A chunk the join found was deleted before the reference committed (garbage collection).
            await transaction.RollbackAsync(cancellationToken);
            throw await MissingChunkAsync(connection, tenant, ids, cancellationToken);
        }
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
        await using var command = Sql.Command(connection, """
            DELETE FROM dedup.chunk_refs r USING dedup.chunks c
            WHERE c.tenant_id = @tenant AND c.chunk_id = ANY(@ids) AND r.chunk_row_id = c.id AND r.client_id = @client
            """,
            Sql.Uuid("tenant", tenant), Sql.Uuid("client", client), Sql.ByteaArray("ids", ids));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
