using Google.Protobuf;
using Urb.Contracts.Index.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Ingest.Snapshots;
using Urb.ServiceDefaults.Content;

namespace Urb.Ingest.Backups;

/// <summary>
/// Clients' compression dictionaries as ingest uses them: the one a backup verifies uploads with,
/// the ones a restoring agent gets, and the registration of a new one (docs/architecture.md,
/// "Compression dictionaries"). Their contents are read from storage like any object.
/// </summary>
public sealed class ClientDictionaries(CompressionDictionaries dictionaries, ChunkSource chunks, DedupIndex.DedupIndexClient index)
{
    /// <summary>The client's dictionaries, newest first.</summary>
    public Task<List<ZstdDict>> ForClientAsync(Guid tenant, Guid client, CancellationToken cancellationToken) =>
        dictionaries.ForClientAsync(tenant, client, Reader(tenant), cancellationToken);

    public async Task<uint> ReserveIdAsync(CancellationToken cancellationToken) =>
        (await index.ReserveDictionaryIdAsync(new ReserveDictionaryIdRequest(), cancellationToken: cancellationToken)).DictionaryId;

    /// <summary>Records a dictionary whose object is stored and registered; from then on it is kept with the tenant.</summary>
    public async Task RegisterAsync(Guid tenant, Guid client, ZstdDict dictionary, byte[] objectId, CancellationToken cancellationToken)
    {
        await index.RegisterDictionaryAsync(new RegisterDictionaryRequest
        {
            TenantId = tenant.ToString(),
            Dictionary = new DictionaryInfo { DictionaryId = dictionary.Id, ChunkId = ByteString.CopyFrom(objectId), ClientId = client.ToString() },
        }, cancellationToken: cancellationToken);
    }

    private CompressionDictionaries.ObjectReader Reader(Guid tenant) => async (id, cancellationToken) =>
    {
        var objects = await chunks.ReadWholeAsync(tenant, [id], cancellationToken);
        return objects.TryGetValue(id, out var content)
            ? content
            : throw new DataLossException($"The dictionary object {ChunkId.ToHex(id)} could not be read.");
    };
}
