using Npgsql;
using NpgsqlTypes;

namespace Urb.DedupIndex.Data;

/// <summary>Typed parameters for the array queries (one round trip for a whole batch of IDs).</summary>
internal static class Sql
{
    public static NpgsqlParameter Uuid(string name, Guid value) => new NpgsqlParameter<Guid>(name, NpgsqlDbType.Uuid) { TypedValue = value };

    public static NpgsqlParameter ByteaArray(string name, byte[][] values) =>
        new NpgsqlParameter<byte[][]>(name, NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = values };

    public static NpgsqlParameter Timestamp(string name, DateTimeOffset value) =>
        new NpgsqlParameter<DateTimeOffset>(name, NpgsqlDbType.TimestampTz) { TypedValue = value };

    public static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, T[] values) =>
        new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | elementType) { TypedValue = values };

    /// <summary>
    /// Runs <paramref name="work"/> (one statement, or one transaction) again when PostgreSQL chose it
    /// as a deadlock's victim, which rolled it back. Request paths lock rows in ID order and cannot
    /// deadlock each other, but garbage collection's sweep locks its rows in several statements;
    /// a registration or reference that overlaps it may lose once.
    /// </summary>
    public static async Task<T> RetryOnDeadlockAsync<T>(Func<Task<T>> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
                // Rolled back: run it again.
            }
        }
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, string text, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(text, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>
    /// The first of <paramref name="ids"/> (in their order) that is not stored for the tenant, or
    /// null when all are: what makes a write that would point at missing data fail with a name.
    /// With <paramref name="condemnedIsMissing"/> a condemned chunk counts as not stored.
    /// </summary>
    public static async Task<byte[]?> FirstMissingChunkAsync(
        NpgsqlConnection connection, Guid tenant, byte[][] ids, bool condemnedIsMissing, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            SELECT u.id FROM unnest(@ids) WITH ORDINALITY AS u(id, n)
            WHERE NOT EXISTS (SELECT 1 FROM dedup.chunks c WHERE c.tenant_id = @tenant AND c.chunk_id = u.id
                              AND (NOT @condemned_is_missing OR c.condemned_at IS NULL))
            ORDER BY u.n LIMIT 1
            """, Uuid("tenant", tenant), ByteaArray("ids", ids), new NpgsqlParameter<bool>("condemned_is_missing", condemnedIsMissing));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }
}
