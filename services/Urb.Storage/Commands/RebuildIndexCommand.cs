using Grpc.Core;
using Microsoft.Extensions.Options;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.ServiceDefaults.Hosting;
using Urb.Storage.Keys;
using Urb.Storage.Options;
using Urb.Storage.Packs;

namespace Urb.Storage.Commands;

/// <summary>
/// <c>rebuild-index [--tenant ID]</c>: reads every pack's own index (its trailer, or its records
/// for a pack that was never sealed) and registers the chunk locations with Urb.DedupIndex, and
/// the compression dictionaries among them (<see cref="PackDictionaries"/>).
/// Registering is idempotent, so this is safe to run against a live index; it only reads packs,
/// so it may run beside the service.
/// </summary>
internal sealed class RebuildIndexCommand(IServiceProvider services) : IServiceCommand
{
    private const int BatchSize = 2000;

    public string Name => "rebuild-index";

    public string Usage => "rebuild-index [--tenant ID]    register every chunk found in the packs with Urb.DedupIndex";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // Resolved here, not in the constructor: every command is made to find the one asked
        // for, and `migrate` must not need the index's address.
        var options = services.GetRequiredService<IOptions<StorageOptions>>();
        var index = services.GetRequiredService<DedupIndex.DedupIndexClient>();
        var keyRing = services.GetRequiredService<TenantKeyRing>();
        var codec = services.GetRequiredService<ChunkCodec>();
        Guid? onlyTenant = null;
        if (arguments.Count == 2 && arguments[0] == "--tenant" && Guid.TryParse(arguments[1], out var tenant)) onlyTenant = tenant;
        else if (arguments.Count != 0)
        {
            await Console.Error.WriteLineAsync($"rebuild-index: usage: {Usage}");
            return 64;
        }

        using var store = new FileSystemPackStore(options.Value.Directory!, owner: false);
        var reader = new PackIndexReader(store);
        var dictionaries = new PackDictionaries(store, codec);
        long packs = 0, chunks = 0, added = 0, dictionariesAdded = 0;
        await foreach (var pack in store.ListAsync(cancellationToken))
        {
            if (onlyTenant is { } wanted && pack.Name.Tenant != wanted) continue;
            var contents = await reader.ReadAsync(pack.Name, isIntact: null, trustTrailer: pack.Sealed, cancellationToken);
            foreach (var batch in contents.Entries.Chunk(BatchSize))
            {
                var request = new RegisterChunksRequest { TenantId = pack.Name.Tenant.ToString() };
                request.Chunks.AddRange(batch.Select(e => new ChunkLocation
                {
                    ChunkId = Google.Protobuf.ByteString.CopyFrom(e.ChunkId),
                    Pack = pack.Name.Id,
                    Offset = e.Offset,
                    Length = e.Length,
                    PlainLength = e.PlainLength,
                }));
                var answer = await index.RegisterChunksAsync(request, cancellationToken: cancellationToken);
                added += answer.Added;
            }
            var tenantId = pack.Name.Tenant;
            var found = await dictionaries.FindAsync(
                pack.Name, contents.Entries, () => keyRing.GetAsync(tenantId, cancellationToken), Console.Error.WriteLine, cancellationToken);
            foreach (var dictionary in found) dictionariesAdded += await RegisterAsync(index, tenantId, dictionary, cancellationToken) ? 1 : 0;
            packs++;
            chunks += contents.Entries.Count;
        }
        Console.WriteLine($"rebuild-index: {packs} packs, {chunks} chunks, {added} locations were missing from the index and are registered now; " +
            $"{dictionariesAdded} compression dictionaries were missing and are registered now");
        return 0;
    }

    /// <summary>Registers a dictionary found in a pack; false when the index had it already (or has another under its ID, which is reported).</summary>
    private static async Task<bool> RegisterAsync(DedupIndex.DedupIndexClient index, Guid tenant, PackedDict found, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await index.RegisterDictionaryAsync(new RegisterDictionaryRequest
            {
                TenantId = tenant.ToString(),
                Dictionary = new DictionaryInfo
                {
                    DictionaryId = found.Dictionary.Id, ChunkId = Google.Protobuf.ByteString.CopyFrom(found.ObjectId), ClientId = found.Client.ToString(),
                },
            }, cancellationToken: cancellationToken);
            return answer.Added;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            await Console.Error.WriteLineAsync($"rebuild-index: tenant {tenant}: dictionary {found.Dictionary.Id} is registered as another object; left as it is");
            return false;
        }
    }
}
