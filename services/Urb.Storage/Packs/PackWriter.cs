using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Urb.Domain.Errors;
using Urb.Storage.Options;

namespace Urb.Storage.Packs;

/// <summary>
/// Appends sealed chunks to each tenant's open pack, one writer at a time per tenant, and
/// answers with their locations only once they are durable. A pack that reaches the target
/// size gets its trailer and is sealed; the next chunk starts a new one.
/// </summary>
public sealed partial class PackWriter(IPackStore store, IOptions<StorageOptions> options, ILogger<PackWriter> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, TenantPack> tenants = new();

    public async Task<IReadOnlyList<PackLocation>> AppendDurablyAsync(Guid tenant, IReadOnlyList<SealedChunk> chunks, CancellationToken cancellationToken)
    {
        var pack = tenants.GetOrAdd(tenant, _ => new TenantPack());
        var locations = new List<PackLocation>(chunks.Count);
        await pack.Gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var chunk in chunks)
            {
                pack.Appender ??= await StartPackAsync(tenant, pack, cancellationToken);
                var offset = pack.Appender.Length;
                await pack.Appender.AppendAsync(chunk.Record, cancellationToken);
                var entry = new PackEntry(chunk.ChunkId, offset, chunk.Record.Length, chunk.PlainLength);
                pack.Entries.Add(entry);
                locations.Add(new PackLocation(pack.Appender.Pack, entry));
                if (pack.Appender.Length >= options.Value.PackTargetBytes)
                {
                    await SealAsync(pack, cancellationToken);
                }
            }
            if (pack.Appender is not null) await pack.Appender.FlushDurableAsync(cancellationToken);
            // Until the caller has registered them (see Registered), reclamation leaves these packs alone.
            lock (pack.Unregistered)
            {
                foreach (var location in locations) pack.Unregistered.Add(location.Pack.Id);
            }
            return locations;
        }
        catch (Exception e)
        {
            // The open pack may end in a partial record now: abandon it. Its records so far
            // were made durable by earlier calls (or belong to this failed one, which answers
            // with an error and registers nothing); the pack is finished at the next start.
            await AbandonAsync(pack);
            if (IsDiskFull(e)) throw new ResourceExhaustedException("The pack storage is full; nothing of this batch was stored. Free space or add capacity, then retry.");
            throw;
        }
        finally
        {
            pack.Gate.Release();
        }
    }

    /// <summary>The caller's registration of <paramref name="locations"/> has ended (whether it succeeded or not).</summary>
    public void Registered(Guid tenant, IReadOnlyList<PackLocation> locations)
    {
        if (!tenants.TryGetValue(tenant, out var pack)) return;
        lock (pack.Unregistered)
        {
            foreach (var location in locations) pack.Unregistered.Remove(location.Pack.Id);
        }
    }

    /// <summary>
    /// For reclamation: seals the tenant's open pack and, while no write can start a new one, runs
    /// <paramref name="list"/> with the packs whose chunks are durable but not registered yet (the
    /// index does not point at them yet, and they must not look dead). Every pack listed then is
    /// finished; later writes go to packs it did not see.
    /// </summary>
    public async Task<T> WhileSealedAsync<T>(Guid tenant, Func<IReadOnlySet<string>, Task<T>> list, CancellationToken cancellationToken)
    {
        var pack = tenants.GetOrAdd(tenant, _ => new TenantPack());
        await pack.Gate.WaitAsync(cancellationToken);
        try
        {
            if (pack.Appender is not null) await SealAsync(pack, cancellationToken);
            HashSet<string> unregistered;
            lock (pack.Unregistered) unregistered = [.. pack.Unregistered];
            return await list(unregistered);
        }
        finally
        {
            pack.Gate.Release();
        }
    }

    /// <summary>Seals every open pack (on shutdown), so nothing is left for recovery.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var pack in tenants.Values)
        {
            await pack.Gate.WaitAsync();
            try
            {
                if (pack.Appender is not null) await SealAsync(pack, CancellationToken.None);
            }
            catch (IOException e)
            {
                LogSealFailed(logger, e.Message);
            }
            finally
            {
                pack.Gate.Release();
            }
        }
    }

    private async Task<IPackAppender> StartPackAsync(Guid tenant, TenantPack pack, CancellationToken cancellationToken)
    {
        var appender = await store.CreateAsync(PackName.New(tenant), cancellationToken);
        await appender.AppendAsync(PackFormat.Header(tenant), cancellationToken);
        pack.Entries.Clear();
        return appender;
    }

    private static async Task SealAsync(TenantPack pack, CancellationToken cancellationToken)
    {
        var appender = pack.Appender!;
        await appender.AppendAsync(PackFormat.Trailer(pack.Entries, appender.Length), cancellationToken);
        await appender.SealAsync(cancellationToken);
        await appender.DisposeAsync();
        pack.Appender = null;
        pack.Entries.Clear();
    }

    /// <summary>ENOSPC (errno 28) or Windows' ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL.</summary>
    private static bool IsDiskFull(Exception e) =>
        e is IOException io && (io.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027)
            || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase));

    private static async Task AbandonAsync(TenantPack pack)
    {
        if (pack.Appender is null) return;
        try
        {
            await pack.Appender.DisposeAsync();
        }
        catch (IOException)
        {
            // Disposing flushes; on a full disk that fails too. The pack is finished at the next start.
        }
        pack.Appender = null;
        pack.Entries.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not seal an open pack at shutdown (it is finished at the next start): {Reason}")]
    private static partial void LogSealFailed(ILogger logger, string reason);

    private sealed class TenantPack
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public IPackAppender? Appender { get; set; }
        public List<PackEntry> Entries { get; } = [];

        /// <summary>Pack ids, once per chunk appended whose registration has not ended yet (under its own lock).</summary>
        public List<string> Unregistered { get; } = [];
    }
}

/// <summary>Where one chunk landed.</summary>
public sealed record PackLocation(PackName Pack, PackEntry Entry);
