using Npgsql;
using Urb.Domain.Content;

namespace Urb.DedupIndex.Data;

/// <summary>What one sweep did, in objects (see <see cref="GarbageTable.SweepAsync"/>).</summary>
public sealed record SweepResult(long Live, long Revived, long Condemned, long Deleted, long ReferencesAdded, long ReferencesRemoved, long FileEntriesDeleted);

/// <summary>
/// Garbage collection's side of the index: a run's marks (<c>gc_marks</c>), and the sweep that
/// revives, condemns and deletes by them in one transaction. Urb.Ingest decides what is reachable;
/// this class only applies it. See docs/architecture.md, "Garbage collection".
/// </summary>
public sealed class GarbageTable(NpgsqlDataSource dataSource)
{
    /// <summary>SQL: chunk <c>c</c> holds a compression dictionary, which is kept for the tenant's life.</summary>
    private const string Dictionary = "EXISTS (SELECT 1 FROM dedup.dictionaries d WHERE d.chunk_row_id = c.id)";

    /// <summary>SQL: chunk <c>c</c> is reached from a client's snapshot in this run, or is a dictionary.</summary>
    private const string Live =
        $"(EXISTS (SELECT 1 FROM dedup.gc_marks m WHERE m.tenant_id = @tenant AND m.run_id = @run AND m.chunk_id = c.chunk_id AND m.client_id <> @nil) OR {Dictionary})";

    /// <summary>SQL: chunk <c>c</c> is reached in this run at all (a snapshot, or a tree a backup may reuse), or is a dictionary.</summary>
    private const string Kept =
        $"(EXISTS (SELECT 1 FROM dedup.gc_marks m WHERE m.tenant_id = @tenant AND m.run_id = @run AND m.chunk_id = c.chunk_id) OR {Dictionary})";

    /// <summary>Records marks; <paramref name="first"/> forgets what earlier, unfinished runs of the tenant left.</summary>
    public async Task<int> MarkAsync(Guid tenant, Guid run, Guid client, byte[][] ids, bool first, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (first)
        {
            await using var clear = Sql.Command(connection, "DELETE FROM dedup.gc_marks WHERE tenant_id = @tenant", Sql.Uuid("tenant", tenant));
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = Sql.Command(connection, """
            INSERT INTO dedup.gc_marks (tenant_id, run_id, client_id, chunk_id)
            SELECT @tenant, @run, @client, u.id FROM unnest(@ids) AS u(id)
            ON CONFLICT DO NOTHING
            """, Sql.Uuid("tenant", tenant), Sql.Uuid("run", run), Sql.Uuid("client", client),
            Sql.ByteaArray("ids", ids.Order(ChunkIdComparer.Instance).ToArray()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Trees the run has not marked that a backup may still reuse: not condemned, or condemned at
    /// or after the cutoff (a backup running since before then may have found them present).
    /// </summary>
    public async Task<List<byte[]>> ListGuardTreesAsync(Guid tenant, Guid run, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, $"""
            SELECT c.chunk_id FROM dedup.chunks c
            WHERE c.tenant_id = @tenant AND c.is_tree AND (c.condemned_at IS NULL OR c.condemned_at >= @cutoff) AND NOT {Kept}
            """, Sql.Uuid("tenant", tenant), Sql.Uuid("run", run), Sql.Timestamp("cutoff", cutoff));
        var trees = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) trees.Add(reader.GetFieldValue<byte[]>(0));
        return trees;
    }

    /// <summary>
    /// In one transaction: revive condemned objects a snapshot reaches; condemn unreached objects
    /// created before the cutoff (and bump the cache generation); make each client's references
    /// its marked objects (sparing those touched since the cutoff); delete objects condemned before
    /// the cutoff that nothing reaches, with their references and the file entries naming them;
    /// forget the run's marks.
    /// </summary>
    public Task<SweepResult> SweepAsync(Guid tenant, Guid run, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken) =>
        Sql.RetryOnDeadlockAsync(() => SweepOnceAsync(tenant, run, cutoff, now, cancellationToken));

    private async Task<SweepResult> SweepOnceAsync(Guid tenant, Guid run, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        async Task<long> RunAsync(string sql)
        {
            await using var command = Sql.Command(connection, sql,
                Sql.Uuid("tenant", tenant), Sql.Uuid("run", run), Sql.Uuid("nil", Guid.Empty),
                Sql.Timestamp("cutoff", cutoff), Sql.Timestamp("now", now));
            command.Transaction = transaction;
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var live = await CountAsync(connection, transaction, tenant, run, cancellationToken);
        var revived = await RunAsync($"""
            UPDATE dedup.chunks c SET condemned_at = NULL
            WHERE c.tenant_id = @tenant AND c.condemned_at IS NOT NULL AND {Live}
            """);
        var condemned = await RunAsync($"""
            UPDATE dedup.chunks c SET condemned_at = @now
            WHERE c.tenant_id = @tenant AND c.condemned_at IS NULL AND c.created_at < @cutoff AND NOT {Live}
            """);
        if (condemned > 0) await CacheGenerationTable.BumpAsync(connection, transaction, tenant, cancellationToken);

        var referencesAdded = await RunAsync("""
            INSERT INTO dedup.chunk_refs (chunk_row_id, client_id, touched_at)
            SELECT c.id, m.client_id, @now FROM dedup.gc_marks m
            JOIN dedup.chunks c ON c.tenant_id = m.tenant_id AND c.chunk_id = m.chunk_id
            WHERE m.tenant_id = @tenant AND m.run_id = @run AND m.client_id <> @nil
            ON CONFLICT DO NOTHING
            """);
        var referencesRemoved = await RunAsync("""
            DELETE FROM dedup.chunk_refs r USING dedup.chunks c
            WHERE c.id = r.chunk_row_id AND c.tenant_id = @tenant AND r.touched_at < @cutoff
              AND NOT EXISTS (SELECT 1 FROM dedup.gc_marks m
                              WHERE m.tenant_id = @tenant AND m.run_id = @run AND m.client_id = r.client_id AND m.chunk_id = c.chunk_id)
            """);

        // The doomed rows are locked first: a registration that revives one meanwhile waits, then
        // finds it gone and inserts it anew; a row revived before the lock is not doomed any more.
        await RunAsync($"""
            CREATE TEMP TABLE gc_doomed ON COMMIT DROP AS
            SELECT c.chunk_id FROM dedup.chunks c
            WHERE c.tenant_id = @tenant AND c.condemned_at < @cutoff AND NOT {Kept}
            FOR UPDATE
            """);
        await RunAsync("ALTER TABLE gc_doomed ADD PRIMARY KEY (chunk_id)");
        var fileEntriesDeleted = await RunAsync("""
            DELETE FROM dedup.file_entries f
            WHERE f.tenant_id = @tenant AND EXISTS (
                SELECT 1 FROM generate_series(0, length(f.chunk_ids) / 32 - 1) AS g(i)
                JOIN gc_doomed d ON d.chunk_id = substring(f.chunk_ids FROM g.i * 32 + 1 FOR 32))
            """);
        referencesRemoved += await RunAsync("""
            DELETE FROM dedup.chunk_refs r USING dedup.chunks c, gc_doomed d
            WHERE c.tenant_id = @tenant AND c.chunk_id = d.chunk_id AND r.chunk_row_id = c.id
            """);
        var deleted = await RunAsync("""
            DELETE FROM dedup.chunks c USING gc_doomed d WHERE c.tenant_id = @tenant AND c.chunk_id = d.chunk_id
            """);
        await RunAsync("DELETE FROM dedup.gc_marks WHERE tenant_id = @tenant AND run_id = @run");
        await transaction.CommitAsync(cancellationToken);
        return new SweepResult(live, revived, condemned, deleted, referencesAdded, referencesRemoved, fileEntriesDeleted);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenant, Guid run, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection,
            "SELECT count(DISTINCT chunk_id) FROM dedup.gc_marks WHERE tenant_id = @tenant AND run_id = @run AND client_id <> @nil",
            Sql.Uuid("tenant", tenant), Sql.Uuid("run", run), Sql.Uuid("nil", Guid.Empty));
        command.Transaction = transaction;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
