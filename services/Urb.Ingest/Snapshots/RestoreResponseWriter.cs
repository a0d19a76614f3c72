using Urb.Contracts.Agent.V1;
using Urb.ServiceDefaults.Grpc;

namespace Urb.Ingest.Snapshots;

/// <summary>
/// Writes a restore's responses: each alone, or several per <see cref="RestoreBatch"/> message
/// when the restoring side takes batches (<see cref="RestoreRequest.AcceptsBatches"/>; see
/// <see cref="GatheringResponseWriter{TItem,TMessage}"/>).
/// </summary>
public sealed class RestoreResponseWriter
{
    private readonly CoalescingResponseWriter<RestoreResponse> stream;
    private readonly GatheringResponseWriter<RestoreResponse, RestoreResponse>? batches;

    public RestoreResponseWriter(CoalescingResponseWriter<RestoreResponse> stream, bool batches)
    {
        this.stream = stream;
        if (batches) this.batches = new(stream, static items => new RestoreResponse { Batch = new RestoreBatch { Items = { items } } });
    }

    public Task WriteAsync(RestoreResponse message, int sizeBytes, bool moreReady, CancellationToken cancellationToken) =>
        batches is null
            ? stream.WriteAsync(message, sizeBytes, moreReady, cancellationToken)
            : batches.WriteAsync(message, sizeBytes, moreReady, cancellationToken);

    /// <summary>Sends what is gathered (the call flushes what is written when it ends).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) =>
        batches is null ? stream.FlushAsync(cancellationToken) : batches.FlushAsync(cancellationToken);
}
