using Npgsql;

namespace Urb.DedupIndex.Data;

/// <summary>The <c>cache_generations</c> table (see <see cref="CacheGeneration"/>).</summary>
public sealed class CacheGenerationTable(NpgsqlDataSource dataSource)
{
    /// <summary>The tenant's current generation (0 until its first condemnation).</summary>
    public async Task<long> GetAsync(Guid tenant, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection,
            "SELECT generation FROM dedup.cache_generations WHERE tenant_id = @tenant", Sql.Uuid("tenant", tenant));
        return await command.ExecuteScalarAsync(cancellationToken) is long generation ? generation : 0;
    }

    /// <summary>Moves the tenant to a new generation, inside the caller's transaction (the one that condemns).</summary>
    public static async Task BumpAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenant, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, """
            INSERT INTO dedup.cache_generations (tenant_id, generation) VALUES (@tenant, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET generation = cache_generations.generation + 1
            """, Sql.Uuid("tenant", tenant));
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
