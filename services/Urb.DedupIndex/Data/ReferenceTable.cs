using Npgsql;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.DedupIndex.Data;

/// <summary>The <c>chunk_refs</c> table: which client uses which chunk.</summary>
public sealed class ReferenceTable(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Adds the references that do not exist yet and returns the IDs of those (concatenated).
    /// Every named reference gets <c>touched_at</c> = now, so a garbage collection that marked before
    /// this commit does not remove it.
    /// </summary>
    public Task<byte[]> AddAsync(Guid tenant, Guid client, byte[][] ids, CancellationToken cancellationToken) =>
        Sql.RetryOnDeadlockAsync(() => AddOnceAsync(tenant, client, ids, cancellationToken));

    private async Task<byte[]> AddOnceAsync(Guid tenant, Guid client, byte[][] ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, """
            INSERT INTO dedup.chunk_refs (tenant_id, client_id, chunk_id, touched_at)
            SELECT @tenant, @client, u.id, @now FROM unnest(@ids) AS u(id)
            ON CONFLICT (tenant_id, client_id, chunk_id) DO UPDATE SET touched_at = excluded.touched_at
            RETURNING chunk_id, xmax = 0
            """, Sql.Uuid("tenant", tenant), Sql.Uuid("client", client), Sql.ByteaArray("ids", Sorted(ids)), Sql.Timestamp("now", time.GetUtcNow()));
        try
        {
            var added = new MemoryStream();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // xmax = 0: the row was inserted, not updated (the reference is new).
                if (reader.GetBoolean(1)) added.Write(reader.GetFieldValue<byte[]>(0));
            }
            return added.ToArray();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // The foreign key to chunks refused the whole batch; one more query names the culprit
            // (the happy path pays for no separate check).
            var missing = await Sql.FirstMissingChunkAsync(connection, tenant, ids, condemnedIsMissing: false, cancellationToken);
            throw new FailedPreconditionException(missing is null
                ? "A chunk to reference is not stored for this tenant."
                : $"Chunk {ChunkId.ToHex(missing)} is not stored for this tenant; a reference needs stored content.");
        }
    }

    /// <summary>In ID order, so concurrent overlapping calls lock rows in the same order (no deadlock).</summary>
    private static byte[][] Sorted(byte[][] ids) => ids.Order(ChunkIdComparer.Instance).ToArray();

    /// <summary>Removes the references that exist and returns how many did.</summary>
    public async Task<int> RemoveAsync(Guid tenant, Guid client, byte[][] ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection,
            "DELETE FROM dedup.chunk_refs WHERE tenant_id = @tenant AND client_id = @client AND chunk_id = ANY(@ids)",
            Sql.Uuid("tenant", tenant), Sql.Uuid("client", client), Sql.ByteaArray("ids", ids));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
