using System.Collections.Concurrent;
using Urb.Contracts.Storage.V1;

namespace Urb.Ingest.Backups;

/// <summary>The tenants' chunk-ID keys, fetched from Urb.Storage once per tenant and process.</summary>
public sealed class ChunkIdKeys(Storage.StorageClient storage)
{
    private readonly ConcurrentDictionary<Guid, byte[]> keys = new();

    public async Task<byte[]> GetAsync(Guid tenant, CancellationToken cancellationToken)
    {
        if (keys.TryGetValue(tenant, out var key)) return key;
        var answer = await storage.GetChunkIdKeyAsync(new GetChunkIdKeyRequest { TenantId = tenant.ToString() }, cancellationToken: cancellationToken);
        return keys.GetOrAdd(tenant, answer.Key.ToByteArray());
    }
}
