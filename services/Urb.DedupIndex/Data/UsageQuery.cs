using Npgsql;

namespace Urb.DedupIndex.Data;

/// <summary>What one client is charged for (see <see cref="UsageQuery"/>).</summary>
public sealed record ClientCharge(Guid ClientId, long StoredBytes, long PlainBytes, long Chunks);

/// <summary>The usage of a tenant: per client, and over all its chunks.</summary>
public sealed record TenantUsage(IReadOnlyList<ClientCharge> Clients, long StoredBytes, long Chunks);

/// <summary>
/// Usage by UrBackup's rule: a chunk referenced by k clients of the tenant is charged length/k
/// to each, so shared content is paid for in equal parts and the parts add up to what is
/// stored. Each client's sum of exact fractions is rounded once, at the end.
/// </summary>
public sealed class UsageQuery(NpgsqlDataSource dataSource)
{
    private const string PerClient = """
        WITH refs AS (
            SELECT r.client_id, r.chunk_row_id, c.length, c.plain_length
            FROM dedup.chunk_refs r JOIN dedup.chunks c ON c.id = r.chunk_row_id
            WHERE c.tenant_id = @tenant
        ), holders AS (
            SELECT chunk_row_id, count(*) AS n FROM refs GROUP BY chunk_row_id
        )
        SELECT refs.client_id,
               round(sum(refs.length::numeric / h.n))::bigint,
               sum(refs.plain_length)::bigint,
               count(*)
        FROM refs JOIN holders h ON h.chunk_row_id = refs.chunk_row_id
        WHERE @all OR refs.client_id = @client
        GROUP BY refs.client_id
        ORDER BY refs.client_id
        """;

    private const string Totals =
        "SELECT coalesce(sum(length), 0)::bigint, count(*) FROM dedup.chunks WHERE tenant_id = @tenant";

    /// <summary>Every client of the tenant that references something, or just <paramref name="client"/> (with zeros when it references nothing).</summary>
    public async Task<TenantUsage> GetAsync(Guid tenant, Guid? client, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(PerClient)
                {
                    Parameters =
                    {
                        Sql.Uuid("tenant", tenant),
                        Sql.Uuid("client", client ?? Guid.Empty),
                        new NpgsqlParameter<bool>("all", client is null),
                    },
                },
                new NpgsqlBatchCommand(Totals) { Parameters = { Sql.Uuid("tenant", tenant) } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var clients = new List<ClientCharge>();
        while (await reader.ReadAsync(cancellationToken))
        {
            clients.Add(new ClientCharge(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (storedBytes, chunks) = (reader.GetInt64(0), reader.GetInt64(1));
        if (client is { } one && clients.Count == 0) clients.Add(new ClientCharge(one, 0, 0, 0));
        return new TenantUsage(clients, storedBytes, chunks);
    }
}
