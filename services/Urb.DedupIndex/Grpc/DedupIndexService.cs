using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.DedupIndex.Data;
using Urb.DedupIndex.Index;
using Urb.DedupIndex.Options;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using static Urb.DedupIndex.Grpc.RequestFields;

namespace Urb.DedupIndex.Grpc;

/// <summary>
/// <c>urb.index.v1.DedupIndex</c>: checks each request, then asks the indexes. Every call is
/// scoped to the request's tenant; nothing here ever reads or writes outside it.
/// </summary>
public sealed class DedupIndexService(
    ChunkIndex chunks, FileEntryIndex files, ReferenceTable references, UsageQuery usage, GarbageTable garbage, PackPlacementTable packs,
    DictionaryTable dictionaries)
    : Contracts.Index.V1.DedupIndex.DedupIndexBase
{
    private const int MaxIds = DedupIndexOptions.MaxIdsPerCall;
    private const int MaxHashes = DedupIndexOptions.MaxFileHashesPerCall;

    public override async Task<FindChunksResponse> FindChunks(FindChunksRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var ids = ChunkIds(request.ChunkIds, "chunk_ids", MaxIds);
        var present = await chunks.FindAsync(tenant, ids, context.CancellationToken);
        var bytes = present.Select(p => p ? (byte)1 : (byte)0).ToArray();
        return new FindChunksResponse { Present = UnsafeByteOperations.UnsafeWrap(bytes) };
    }

    public override async Task<LocateChunksResponse> LocateChunks(LocateChunksRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var ids = ChunkIds(request.ChunkIds, "chunk_ids", MaxIds);
        var (placements, missing) = await chunks.LocateAsync(tenant, ids, context.CancellationToken);
        if (missing is not null) throw new NotFoundException($"Chunk {ChunkId.ToHex(missing)} is not stored for this tenant.");
        return new LocateChunksResponse { Locations = { placements.Select(ToMessage) } };
    }

    public override async Task<RegisterChunksResponse> RegisterChunks(RegisterChunksRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        Count(request.Chunks.Count, "chunks", MaxIds);
        var placements = request.Chunks.Select((c, i) => Placement(c, $"chunks[{i}]")).ToList();
        var added = placements.Count == 0 ? 0 : await chunks.RegisterAsync(tenant, placements, context.CancellationToken);
        return new RegisterChunksResponse { Added = added, AlreadyKnown = placements.Count - added };
    }

    public override async Task<FindFileEntriesResponse> FindFileEntries(FindFileEntriesRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        Count(request.FileHashes.Count, "file_hashes", MaxHashes);
        var hashes = request.FileHashes.Select((h, i) => Hash(h, $"file_hashes[{i}]")).ToArray();
        var entries = await files.FindAsync(tenant, hashes, context.CancellationToken);
        return new FindFileEntriesResponse { Entries = { entries.Select(ToMessage) } };
    }

    public override async Task<PutFileEntriesResponse> PutFileEntries(PutFileEntriesRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        Count(request.Entries.Count, "entries", MaxHashes);
        var entries = request.Entries.Select((e, i) => Entry(e, $"entries[{i}]")).ToList();
        var added = entries.Count == 0 ? 0 : await files.PutAsync(tenant, entries, context.CancellationToken);
        return new PutFileEntriesResponse { Added = added };
    }

    public override async Task<ReferencesResponse> AddReferences(ReferencesRequest request, ServerCallContext context)
    {
        var (tenant, client, ids) = Read(request);
        var added = ids.Length == 0 ? [] : await references.AddAsync(tenant, client, ids, context.CancellationToken);
        return new ReferencesResponse { Changed = added.Length / ChunkId.Size, AddedIds = UnsafeByteOperations.UnsafeWrap(added) };
    }

    public override async Task<ReferencesResponse> RemoveReferences(ReferencesRequest request, ServerCallContext context)
    {
        var (tenant, client, ids) = Read(request);
        var changed = ids.Length == 0 ? 0 : await references.RemoveAsync(tenant, client, ids, context.CancellationToken);
        return new ReferencesResponse { Changed = changed };
    }

    public override async Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        Guid? client = string.IsNullOrEmpty(request.ClientId) ? null : Id(request.ClientId, "client_id");
        var result = await usage.GetAsync(tenant, client, context.CancellationToken);
        return new GetUsageResponse
        {
            Clients =
            {
                result.Clients.Select(c => new ClientUsage
                {
                    ClientId = c.ClientId.ToString(), StoredBytes = c.StoredBytes, PlainBytes = c.PlainBytes, Chunks = c.Chunks,
                }),
            },
            TenantStoredBytes = result.StoredBytes,
            TenantChunks = result.Chunks,
        };
    }

    public override async Task<MarkObjectsResponse> MarkObjects(MarkObjectsRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var run = Id(request.RunId, "run_id");
        var client = string.IsNullOrEmpty(request.ClientId) ? Guid.Empty : Id(request.ClientId, "client_id");
        var ids = ChunkIds(request.ChunkIds, "chunk_ids", MaxIds);
        var marked = await garbage.MarkAsync(tenant, run, client, ids, request.First, context.CancellationToken);
        return new MarkObjectsResponse { Marked = marked };
    }

    public override async Task<ListGuardTreesResponse> ListGuardTrees(ListGuardTreesRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var run = Id(request.RunId, "run_id");
        var cutoff = Time(request.Cutoff, "cutoff");
        var trees = await garbage.ListGuardTreesAsync(tenant, run, cutoff, context.CancellationToken);
        return new ListGuardTreesResponse { TreeIds = UnsafeByteOperations.UnsafeWrap(ChunkId.Pack(trees)) };
    }

    public override async Task<SweepResponse> Sweep(SweepRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var run = Id(request.RunId, "run_id");
        var cutoff = Time(request.Cutoff, "cutoff");
        var now = Time(request.Now, "now");
        if (now < cutoff) throw new InvalidInputException("now", "The condemnation time is not before the cutoff.");
        var r = await garbage.SweepAsync(tenant, run, cutoff, now, context.CancellationToken);
        return new SweepResponse
        {
            Live = r.Live, Revived = r.Revived, Condemned = r.Condemned, Deleted = r.Deleted,
            ReferencesAdded = r.ReferencesAdded, ReferencesRemoved = r.ReferencesRemoved, FileEntriesDeleted = r.FileEntriesDeleted,
        };
    }

    public override async Task<GetPackUsageResponse> GetPackUsage(GetPackUsageRequest request, ServerCallContext context)
    {
        var used = await packs.UsageAsync(Id(request.TenantId, "tenant_id"), context.CancellationToken);
        return new GetPackUsageResponse { Packs = { used.Select(p => new PackUsage { Pack = p.Pack, Chunks = p.Chunks, StoredBytes = p.StoredBytes }) } };
    }

    public override async Task<ListPackChunksResponse> ListPackChunks(ListPackChunksRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var pack = PackName(request.Pack, "pack");
        var found = await packs.InPackAsync(tenant, pack, context.CancellationToken);
        return new ListPackChunksResponse { Chunks = { found.Select(ToMessage) } };
    }

    public override async Task<MoveChunksResponse> MoveChunks(MoveChunksRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var from = PackName(request.FromPack, "from_pack");
        Count(request.Chunks.Count, "chunks", MaxIds);
        var placements = request.Chunks.Select((c, i) => Placement(c, $"chunks[{i}]")).ToList();
        var moved = placements.Count == 0 ? 0 : await packs.MoveAsync(tenant, from, placements, context.CancellationToken);
        return new MoveChunksResponse { Moved = moved };
    }

    public override async Task<ReserveDictionaryIdResponse> ReserveDictionaryId(ReserveDictionaryIdRequest request, ServerCallContext context) =>
        new() { DictionaryId = await dictionaries.ReserveIdAsync(context.CancellationToken) };

    public override async Task<RegisterDictionaryResponse> RegisterDictionary(RegisterDictionaryRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var dictionary = Dictionary(request.Dictionary, "dictionary");
        return await dictionaries.RegisterAsync(tenant, dictionary, context.CancellationToken) switch
        {
            DictionaryRegistration.Added => new RegisterDictionaryResponse { Added = true },
            DictionaryRegistration.AlreadyThere => new RegisterDictionaryResponse { Added = false },
            DictionaryRegistration.IdTaken => throw new AlreadyExistsException($"Dictionary {dictionary.DictionaryId} of this tenant is another one."),
            _ => throw new FailedPreconditionException($"Dictionary {dictionary.DictionaryId}: its object {ChunkId.ToHex(dictionary.ChunkId)} is not stored for this tenant."),
        };
    }

    public override async Task<FindDictionariesResponse> FindDictionaries(FindDictionariesRequest request, ServerCallContext context)
    {
        var tenant = Id(request.TenantId, "tenant_id");
        var found = request.DictionaryId != 0
            ? (await dictionaries.FindByIdAsync(tenant, request.DictionaryId, context.CancellationToken)) is { } one ? [one] : []
            : await dictionaries.FindByClientAsync(tenant, Id(request.ClientId, "client_id"), context.CancellationToken);
        return new FindDictionariesResponse
        {
            Dictionaries =
            {
                found.Select(d => new DictionaryInfo
                {
                    DictionaryId = d.DictionaryId, ChunkId = UnsafeByteOperations.UnsafeWrap(d.ChunkId), ClientId = d.ClientId.ToString(),
                }),
            },
        };
    }

    private static (Guid Tenant, Guid Client, byte[][] Ids) Read(ReferencesRequest request) =>
        (Id(request.TenantId, "tenant_id"), Id(request.ClientId, "client_id"), ChunkIds(request.ChunkIds, "chunk_ids", MaxIds));

    private static ChunkLocation ToMessage(ChunkPlacement p) => new()
    {
        ChunkId = UnsafeByteOperations.UnsafeWrap(p.ChunkId), Pack = p.Pack, Offset = p.Offset, Length = p.Length, PlainLength = p.PlainLength, Tree = p.IsTree,
    };

    private static FileEntry ToMessage(FileContent e) => new()
    {
        FileHash = UnsafeByteOperations.UnsafeWrap(e.FileHash), Size = e.Size, ChunkIds = UnsafeByteOperations.UnsafeWrap(e.ChunkIds),
    };
}
