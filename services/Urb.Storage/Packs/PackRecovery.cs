using Urb.Storage.Keys;

namespace Urb.Storage.Packs;

/// <summary>
/// Finishes the packs a dead process left open: keeps every record up to the first torn or
/// corrupt one, cuts the rest, writes the trailer and seals. Packs are listed before this
/// process opens any of its own; the work itself runs in the background (it needs the tenants'
/// keys from the database, which may not be reachable yet) and retries until done.
/// </summary>
public sealed partial class PackRecovery(
    IPackStore store, PackIndexReader reader, TenantKeyRing keyRing, ChunkCodec codec, ILogger<PackRecovery> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private List<PackName> leftOpen = [];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await foreach (var pack in store.ListAsync(cancellationToken))
        {
            if (!pack.Sealed) leftOpen.Add(pack.Name);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (leftOpen.Count > 0 && !stoppingToken.IsCancellationRequested)
        {
            var failed = new List<PackName>();
            foreach (var pack in leftOpen)
            {
                try
                {
                    await FinishAsync(pack, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRetry(logger, pack, e.Message);
                    failed.Add(pack);
                }
            }
            leftOpen = failed;
            if (failed.Count > 0) await Task.Delay(RetryDelay, stoppingToken);
        }
    }

    public async Task FinishAsync(PackName pack, CancellationToken cancellationToken)
    {
        var keys = await keyRing.GetAsync(pack.Tenant, cancellationToken);
        // Read the records themselves, even when a trailer is there: the writer may have died
        // after the trailer reached the disk but before the records before it did.
        var contents = await reader.ReadAsync(pack, PackIndexReader.IntactUnder(codec, keys), trustTrailer: false, cancellationToken);
        if (contents.ValidLength < PackFormat.HeaderSize)
        {
            await store.DeleteAsync(pack, cancellationToken);
            LogEmptyDeleted(logger, pack);
            return;
        }
        await using var appender = await store.ResumeAsync(pack, contents.ValidLength, cancellationToken);
        await appender.AppendAsync(PackFormat.Trailer(contents.Entries, contents.ValidLength), cancellationToken);
        await appender.SealAsync(cancellationToken);
        LogFinished(logger, pack, contents.Entries.Count, contents.ValidLength);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Finished pack {Pack} left open by a stopped process: {Chunks} chunks kept, cut at byte {Length}")]
    private static partial void LogFinished(ILogger logger, PackName pack, int chunks, long length);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted pack {Pack}: left open with no complete chunk")]
    private static partial void LogEmptyDeleted(ILogger logger, PackName pack);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not finish open pack {Pack} yet, will retry: {Reason}")]
    private static partial void LogRetry(ILogger logger, PackName pack, string reason);
}
