using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.Storage.Data;
using Urb.Storage.Options;

namespace Urb.Storage.Packs;

/// <summary>What one reclamation did.</summary>
public sealed record ReclaimResult(int Deleted, int Rewritten, int Retired, long BytesReclaimed);

/// <summary>
/// Gives back the space of chunks garbage collection deleted from the index. A sealed pack no
/// index row points at is deleted. A pack whose rows cover less than <see cref="RewriteBelow"/>
/// of its bytes is rewritten: its live records are copied as they are (still encrypted and
/// authenticated; a record is bound to its tenant and chunk, not to its pack) into a new pack, the
/// index is moved to them, and the old pack is retired: kept for <c>Storage:RetiredPackGrace</c>
/// so reads that located a chunk there just before still work, then deleted.
/// </summary>
public sealed partial class PackReclaimer(
    IPackStore store,
    PackWriter writer,
    DedupIndex.DedupIndexClient index,
    IServiceScopeFactory scopes,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<PackReclaimer> logger)
{
    /// <summary>
    /// A pack is rewritten when less than half of it is live: the space it wastes is then at most
    /// the size of what is kept, and a rewrite copies at most half a pack per pack it frees.
    /// </summary>
    public const double RewriteBelow = 0.5;

    private const int MoveBatch = 65536;

    public async Task<ReclaimResult> ReclaimAsync(Guid tenant, CancellationToken cancellationToken)
    {
        var packs = await writer.WhileSealedAsync(tenant, async unregistered =>
        {
            var listed = new List<StoredPack>();
            await foreach (var pack in store.ListAsync(cancellationToken))
            {
                // A pack left open by a crash is recovery's; one with unregistered chunks is not dead.
                if (pack.Name.Tenant == tenant && pack.Sealed && !unregistered.Contains(pack.Name.Id)) listed.Add(pack);
            }
            return listed;
        }, cancellationToken);
        // Read after the listing: every registration into a listed pack has ended by now.
        var usage = (await index.GetPackUsageAsync(new GetPackUsageRequest { TenantId = tenant.ToString() }, cancellationToken: cancellationToken))
            .Packs.ToDictionary(p => p.Pack);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var retired = await db.RetiredPacks.Where(r => r.TenantId == tenant).ToDictionaryAsync(r => r.Pack, cancellationToken);
        var now = time.GetUtcNow();
        int deleted = 0, rewritten = 0, waiting = 0;
        long bytes = 0;
        foreach (var pack in packs)
        {
            var used = usage.GetValueOrDefault(pack.Name.Id);
            if (retired.Remove(pack.Name.Id, out var retirement))
            {
                if (used is not null)
                {
                    // The move did not happen (a crash between retiring and moving cannot, but be sure): keep it.
                    db.RetiredPacks.Remove(retirement);
                }
                else if (retirement.RetiredAt + options.Value.RetiredPackGrace <= now)
                {
                    await store.DeleteAsync(pack.Name, cancellationToken);
                    db.RetiredPacks.Remove(retirement);
                    (deleted, bytes) = (deleted + 1, bytes + pack.Length);
                }
                else
                {
                    waiting++;
                }
                continue;
            }
            if (used is null)
            {
                await store.DeleteAsync(pack.Name, cancellationToken);
                (deleted, bytes) = (deleted + 1, bytes + pack.Length);
            }
            else if (used.StoredBytes < pack.Length * RewriteBelow && await RewriteAsync(pack.Name, cancellationToken))
            {
                db.RetiredPacks.Add(new RetiredPackRecord { TenantId = tenant, Pack = pack.Name.Id, RetiredAt = now });
                rewritten++;
                waiting++;
            }
        }
        // Retirements whose file is gone already.
        db.RetiredPacks.RemoveRange(retired.Values);
        await db.SaveChangesAsync(cancellationToken);
        LogReclaimed(tenant, packs.Count, deleted, rewritten, waiting, bytes);
        return new ReclaimResult(deleted, rewritten, waiting, bytes);
    }

    /// <summary>Copies the records the index points at into a new pack and moves the index there; false when a record is damaged.</summary>
    private async Task<bool> RewriteAsync(PackName old, CancellationToken cancellationToken)
    {
        var tenant = old.Tenant;
        var live = (await index.ListPackChunksAsync(new ListPackChunksRequest { TenantId = tenant.ToString(), Pack = old.Id }, cancellationToken: cancellationToken)).Chunks;
        var entries = new List<PackEntry>(live.Count);
        var moved = new List<ChunkLocation>(live.Count);
        var target = PackName.New(tenant);
        var damaged = false;
        await using (var appender = await store.CreateAsync(target, cancellationToken))
        {
            await appender.AppendAsync(PackFormat.Header(tenant), cancellationToken);
            foreach (var chunk in live)
            {
                var record = new byte[chunk.Length];
                await store.ReadAsync(old, chunk.Offset, record, cancellationToken);
                if (!PackFormat.TryReadRecordHeader(record, out var header) || header.RecordLength != record.Length
                    || !header.ChunkId.AsSpan().SequenceEqual(chunk.ChunkId.Span))
                {
                    // Leave a damaged pack as it is: reads name it in DataLoss, which is what an operator needs.
                    LogRewriteSkipped(old.ToString(), Convert.ToHexStringLower(chunk.ChunkId.Span));
                    damaged = true;
                    break;
                }
                var offset = appender.Length;
                await appender.AppendAsync(record, cancellationToken);
                entries.Add(new PackEntry(header.ChunkId, offset, record.Length, chunk.PlainLength));
                moved.Add(new ChunkLocation
                {
                    ChunkId = chunk.ChunkId, Pack = target.Id, Offset = offset, Length = record.Length, PlainLength = chunk.PlainLength, Tree = chunk.Tree,
                });
            }
            if (!damaged)
            {
                await appender.AppendAsync(PackFormat.Trailer(entries, appender.Length), cancellationToken);
                await appender.SealAsync(cancellationToken);
            }
        }
        if (damaged)
        {
            await store.DeleteAsync(target, cancellationToken);
            return false;
        }
        // Only once the new pack is durable does the index point at it.
        foreach (var batch in moved.Chunk(MoveBatch))
        {
            await index.MoveChunksAsync(new MoveChunksRequest { TenantId = tenant.ToString(), FromPack = old.Id, Chunks = { batch } }, cancellationToken: cancellationToken);
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reclaimed packs of tenant {TenantId}: {Packs} sealed packs, {Deleted} deleted, {Rewritten} rewritten, {Retired} retired and waiting, {Bytes} bytes given back")]
    private partial void LogReclaimed(Guid tenantId, int packs, int deleted, int rewritten, int retired, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {Pack} not rewritten: its record of chunk {ChunkId} is damaged")]
    private partial void LogRewriteSkipped(string pack, string chunkId);
}
