using Urb.Contracts.Agent.V1;
using Urb.Domain.Content;
using Urb.ServiceDefaults.Grpc;

namespace Urb.Ingest.Snapshots;

/// <summary>
/// Writes a restore's responses: each alone, or, when the restoring side takes batches
/// (<see cref="RestoreRequest.AcceptsBatches"/>), responses smaller than
/// <see cref="GatherBelowBytes"/> gathered into one <see cref="RestoreBatch"/> message of
/// about that size. A restore of a typical tree is tens of thousands of entries and chunks of a few
/// KiB, and every message costs ingest, the gateway and the agent about the same whatever its
/// size. What is gathered goes out as soon as the caller has nothing more ready, so a response
/// never waits behind a slow source.
/// </summary>
public sealed class RestoreResponseWriter(CoalescingResponseWriter<RestoreResponse> stream, bool batches)
{
    public const int GatherBelowBytes = ChunkLimits.MaxFrameBytes;

    private RestoreBatch? gathered;
    private int gatheredBytes;

    public async Task WriteAsync(RestoreResponse message, int sizeBytes, bool moreReady, CancellationToken cancellationToken)
    {
        if (!batches || sizeBytes >= GatherBelowBytes)
        {
            await SendGatheredAsync(moreReady: true, cancellationToken);
            await stream.WriteAsync(message, sizeBytes, moreReady, cancellationToken);
            return;
        }
        (gathered ??= new RestoreBatch()).Items.Add(message);
        gatheredBytes += sizeBytes;
        if (!moreReady || gatheredBytes >= GatherBelowBytes) await SendGatheredAsync(moreReady, cancellationToken);
    }

    /// <summary>Sends what is gathered (the caller's stream ends after the last response).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => SendGatheredAsync(moreReady: false, cancellationToken);

    private async Task SendGatheredAsync(bool moreReady, CancellationToken cancellationToken)
    {
        if (gathered is null)
        {
            if (!moreReady) await stream.FlushAsync(cancellationToken);
            return;
        }
        var batch = new RestoreResponse { Batch = gathered };
        var size = gatheredBytes;
        (gathered, gatheredBytes) = (null, 0);
        await stream.WriteAsync(batch, size, moreReady, cancellationToken);
    }
}
