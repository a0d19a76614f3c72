using Npgsql;
using NpgsqlTypes;

namespace Urb.DedupIndex.Data;

/// <summary>A dictionary as the index knows it: its zstd ID, the object that holds it, the client that trained it.</summary>
public sealed record DictionaryEntry(uint DictionaryId, byte[] ChunkId, Guid ClientId);

/// <summary>What a registration found (see <see cref="DictionaryTable.RegisterAsync"/>).</summary>
public enum DictionaryRegistration
{
    Added,
    AlreadyThere,
    IdTaken,
    ObjectNotStored,
}

/// <summary>
/// The <c>dictionaries</c> table: clients' zstd dictionaries, each pinned with its stored object
/// for the tenant's life (garbage collection keeps every object a dictionary row names).
/// </summary>
public sealed class DictionaryTable(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = "d.dictionary_id, c.chunk_id, d.client_id FROM dedup.dictionaries d JOIN dedup.chunks c ON c.id = d.chunk_row_id";

    public async Task<uint> ReserveIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection, $"SELECT nextval('dedup.{DedupDbContext.DictionaryIdSequence}')");
        return checked((uint)(long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<DictionaryRegistration> RegisterAsync(Guid tenant, DictionaryEntry dictionary, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var insert = Sql.Command(connection, """
            INSERT INTO dedup.dictionaries (tenant_id, dictionary_id, client_id, chunk_row_id, created_at)
            SELECT @tenant, @id, @client, c.id, @now FROM dedup.chunks c
            WHERE c.tenant_id = @tenant AND c.chunk_id = @chunk AND c.condemned_at IS NULL
            ON CONFLICT (tenant_id, dictionary_id) DO NOTHING
            """, Sql.Uuid("tenant", tenant), IdParameter(dictionary.DictionaryId), Sql.Uuid("client", dictionary.ClientId),
            new NpgsqlParameter<byte[]>("chunk", NpgsqlDbType.Bytea) { TypedValue = dictionary.ChunkId },
            Sql.Timestamp("now", time.GetUtcNow()));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1) return DictionaryRegistration.Added;

        var existing = await FindByIdAsync(connection, tenant, dictionary.DictionaryId, cancellationToken);
        if (existing is null) return DictionaryRegistration.ObjectNotStored;
        return existing.ClientId == dictionary.ClientId && existing.ChunkId.AsSpan().SequenceEqual(dictionary.ChunkId)
            ? DictionaryRegistration.AlreadyThere
            : DictionaryRegistration.IdTaken;
    }

    public async Task<DictionaryEntry?> FindByIdAsync(Guid tenant, uint id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindByIdAsync(connection, tenant, id, cancellationToken);
    }

    /// <summary>The client's dictionaries, newest first.</summary>
    public async Task<List<DictionaryEntry>> FindByClientAsync(Guid tenant, Guid client, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Sql.Command(connection,
            $"SELECT {Columns} WHERE d.tenant_id = @tenant AND d.client_id = @client ORDER BY d.created_at DESC, d.dictionary_id DESC",
            Sql.Uuid("tenant", tenant), Sql.Uuid("client", client));
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<DictionaryEntry?> FindByIdAsync(NpgsqlConnection connection, Guid tenant, uint id, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection,
            $"SELECT {Columns} WHERE d.tenant_id = @tenant AND d.dictionary_id = @id", Sql.Uuid("tenant", tenant), IdParameter(id));
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<DictionaryEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var found = new List<DictionaryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new DictionaryEntry((uint)reader.GetInt32(0), reader.GetFieldValue<byte[]>(1), reader.GetGuid(2)));
        }
        return found;
    }

    private static NpgsqlParameter<int> IdParameter(uint id) => new NpgsqlParameter<int>("id", NpgsqlDbType.Integer) { TypedValue = checked((int)id) };
}
