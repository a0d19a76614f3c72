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
    /// SQL: a <c>FROM</c> item with each ID of the array <c>@ids</c> (<c>u.id</c>, its position
    /// <c>u.n</c>) and its row of <c>dedup.chunks</c> for <c>@tenant</c> (<c>c</c>, the given
    /// <paramref name="columns"/>) where <paramref name="condition"/> holds, looked up by one probe
    /// of the primary key per ID. IDs without such a row are left out, or with
    /// <paramref name="keepMissing"/> kept with a null <c>c</c>.
    /// </summary>
    /// <remarks>
    /// Why not <c>tenant_id = @tenant AND chunk_id = ANY(@ids)</c>, or a join with the array: when a
    /// tenant's rows are newer than the table's statistics (a new tenant's first backup, before
    /// autovacuum analyzes), the planner takes the tenant for one row, reads all of its rows and
    /// filters them by the array. Each query of an initial backup then cost in proportion to the
    /// rows registered so far: 5.4 ms per query of 256 IDs in the benchmark's B1, 3 of PostgreSQL's
    /// 4.5 s; a join with the inserted rows turned quadratic (services/Urb.DedupIndex/README.md).
    /// <c>LIMIT 1</c> keeps the subquery from being flattened into such a join.
    /// </remarks>
    public static string ChunksNamed(string columns, string condition = "true", bool keepMissing = false) => $"""
        unnest(@ids) WITH ORDINALITY AS u(id, n)
        {(keepMissing ? "LEFT" : "CROSS")} JOIN LATERAL (
            SELECT {columns} FROM dedup.chunks
            WHERE tenant_id = @tenant AND chunk_id = u.id AND ({condition})
            LIMIT 1) c{(keepMissing ? " ON true" : "")}
        """;

    /// <summary>
    /// The first of <paramref name="ids"/> (in their order) that is not stored for the tenant, or
    /// null when all are: what makes a write that would point at missing data fail with a name.
    /// With <paramref name="condemnedIsMissing"/> a condemned chunk counts as not stored.
    /// </summary>
    public static async Task<byte[]?> FirstMissingChunkAsync(
        NpgsqlConnection connection, Guid tenant, byte[][] ids, bool condemnedIsMissing, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"""
            SELECT u.id FROM {ChunksNamed("id", "NOT @condemned_is_missing OR condemned_at IS NULL", keepMissing: true)}
            WHERE c.id IS NULL
            ORDER BY u.n LIMIT 1
            """, Uuid("tenant", tenant), ByteaArray("ids", ids), new NpgsqlParameter<bool>("condemned_is_missing", condemnedIsMissing));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }
}
