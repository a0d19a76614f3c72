using Npgsql;
using NpgsqlTypes;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.DedupIndex.Data;

/// <summary>The <c>file_entries</c> table.</summary>
public sealed class FileEntryTable(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// The entries of those of <paramref name="hashes"/> that are known for the tenant, except one
    /// that names a condemned chunk: its content is absent until uploaded again.
    /// </summary>
    public async Task<Dictionary<byte[], FileContent>> FindAsync(Guid tenant, byte[][] hashes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<byte[], FileContent>(ChunkIdComparer.Instance);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection,
            // One probe of the key per hash, whatever the statistics say (see Sql.ChunksNamed).
            $"""
            SELECT f.file_hash, f.size, f.chunk_ids FROM unnest(@hashes) AS u(hash)
            CROSS JOIN LATERAL (SELECT * FROM dedup.file_entries WHERE tenant_id = @tenant AND file_hash = u.hash LIMIT 1) f
            WHERE NOT {NamesCondemnedChunk}
            """,
            Sql.Uuid("tenant", tenant), Sql.ByteaArray("hashes", hashes));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var hash = reader.GetFieldValue<byte[]>(0);
            found[hash] = new FileContent(hash, reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
        }
        return found;
    }

    /// <summary>
    /// Records the entries after checking that every chunk they name is stored for the tenant:
    /// an entry never points at data that is not there. (The chunks are not locked; garbage
    /// collection must spare chunks younger than a grace period.) A hash that is known already
    /// keeps its first entry. Returns the entries that were new.
    /// </summary>
    public async Task<List<FileContent>> InsertAsync(Guid tenant, IReadOnlyList<FileContent> unsorted, CancellationToken cancellationToken)
    {
        // In hash order (stable), so concurrent overlapping calls cannot deadlock.
        var entries = unsorted.OrderBy(e => e.FileHash, ChunkIdComparer.Instance).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var named = entries.SelectMany(e => Unpack(e.ChunkIds)).Distinct(ChunkIdComparer.Instance).ToArray();
        if (named.Length > 0 && await Sql.FirstMissingChunkAsync(connection, tenant, named, condemnedIsMissing: true, cancellationToken) is { } missing)
        {
            var entry = entries.First(e => Unpack(e.ChunkIds).Any(id => ChunkIdComparer.Instance.Equals(id, missing)));
            throw new FailedPreconditionException(
                $"File entry {ChunkId.ToHex(entry.FileHash)} names chunk {ChunkId.ToHex(missing)}, which is not stored for this tenant.");
        }

        await using var command = Sql.Command(connection, """
            INSERT INTO dedup.file_entries (tenant_id, file_hash, size, chunk_ids, created_at)
            SELECT @tenant, u.file_hash, u.size, u.chunk_ids, @now
            FROM unnest(@hashes, @sizes, @chunk_ids) AS u(file_hash, size, chunk_ids)
            ON CONFLICT DO NOTHING
            RETURNING file_hash
            """,
            Sql.Uuid("tenant", tenant),
            Sql.Timestamp("now", time.GetUtcNow()),
            Sql.ByteaArray("hashes", entries.Select(e => e.FileHash).ToArray()),
            Sql.Array("sizes", NpgsqlDbType.Bigint, entries.Select(e => e.Size).ToArray()),
            Sql.ByteaArray("chunk_ids", entries.Select(e => e.ChunkIds).ToArray()));
        var added = new HashSet<byte[]>(ChunkIdComparer.Instance);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) added.Add(reader.GetFieldValue<byte[]>(0));
        }
        // A hash named twice in one call is inserted once; the first entry is the one that counts.
        return entries.Where(e => added.Remove(e.FileHash)).ToList();
    }

    /// <summary>SQL: entry <c>f</c> names a condemned chunk (its packed list cut into 32-byte IDs).</summary>
    private const string NamesCondemnedChunk = """
        EXISTS (SELECT 1 FROM generate_series(0, length(f.chunk_ids) / 32 - 1) AS g(i)
                JOIN dedup.chunks c ON c.tenant_id = f.tenant_id AND c.chunk_id = substring(f.chunk_ids FROM g.i * 32 + 1 FOR 32)
                WHERE c.condemned_at IS NOT NULL)
        """;

    private static IEnumerable<byte[]> Unpack(byte[] packed) => packed.Chunk(ChunkId.Size);
}
