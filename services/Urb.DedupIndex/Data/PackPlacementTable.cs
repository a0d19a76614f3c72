using Npgsql;
using NpgsqlTypes;
using Urb.Domain.Content;

namespace Urb.DedupIndex.Data;

/// <summary>How much of a pack the index still points at.</summary>
public sealed record PackUse(string Pack, long Chunks, long StoredBytes);

/// <summary>
/// The <c>chunks</c> table seen by pack: what storage's reclamation asks before it deletes or
/// rewrites a pack, and the move of a rewritten pack's chunks to their new places.
/// </summary>
public sealed class PackPlacementTable(NpgsqlDataSource dataSource)
{
    public async Task<List<PackUse>> UsageAsync(Guid tenant, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection,
            "SELECT pack, count(*), sum(length)::bigint FROM dedup.chunks WHERE tenant_id = @tenant GROUP BY pack",
            Sql.Uuid("tenant", tenant));
        var packs = new List<PackUse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) packs.Add(new PackUse(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return packs;
    }

    /// <summary>Every row that points at the pack, condemned or not (all of them are still readable), in offset order.</summary>
    public async Task<List<ChunkPlacement>> InPackAsync(Guid tenant, string pack, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, """
            SELECT chunk_id, pack, "offset", length, plain_length, is_tree FROM dedup.chunks
            WHERE tenant_id = @tenant AND pack = @pack ORDER BY "offset"
            """, Sql.Uuid("tenant", tenant), new NpgsqlParameter<string>("pack", pack));
        var chunks = new List<ChunkPlacement>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            chunks.Add(new ChunkPlacement(
                reader.GetFieldValue<byte[]>(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetBoolean(5)));
        }
        return chunks;
    }

    /// <summary>
    /// Points chunks at their new places, each only where it still points at <paramref name="fromPack"/>
    /// (a chunk revived elsewhere or deleted meanwhile is left alone). Returns how many moved.
    /// </summary>
    public async Task<int> MoveAsync(Guid tenant, string fromPack, IReadOnlyList<ChunkPlacement> placements, CancellationToken cancellationToken)
    {
        var chunks = placements.OrderBy(c => c.ChunkId, ChunkIdComparer.Instance).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, """
            UPDATE dedup.chunks c SET pack = u.pack, "offset" = u."offset", length = u.length
            FROM unnest(@ids, @packs, @offsets, @lengths) AS u(chunk_id, pack, "offset", length)
            WHERE c.tenant_id = @tenant AND c.chunk_id = u.chunk_id AND c.pack = @from
            """,
            Sql.Uuid("tenant", tenant),
            new NpgsqlParameter<string>("from", fromPack),
            Sql.ByteaArray("ids", chunks.Select(c => c.ChunkId).ToArray()),
            Sql.Array("packs", NpgsqlDbType.Text, chunks.Select(c => c.Pack).ToArray()),
            Sql.Array("offsets", NpgsqlDbType.Bigint, chunks.Select(c => c.Offset).ToArray()),
            Sql.Array("lengths", NpgsqlDbType.Integer, chunks.Select(c => c.Length).ToArray()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
