using Grpc.Core;
using Urb.Api.Auth;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Snapshots;
using IngestClient = Urb.Contracts.Ingest.V1.Ingest.IngestClient;

namespace Urb.Api.Grpc;

/// <summary>
/// A client's backups for portals: Urb.Api checks the key against the client's tenant, then asks
/// Urb.Ingest for exactly that client, as the gateway does for the client's own agent.
/// </summary>
public sealed class SnapshotsService(ReadableClients readable, IngestClient ingest) : Contracts.Api.V1.Snapshots.SnapshotsBase
{
    public override async Task<ListSnapshotsResponse> ListSnapshots(ListClientSnapshotsRequest request, ServerCallContext context)
    {
        var owner = await OwnerAsync(request.ClientId, context);
        return await ingest.ListSnapshotsAsync(new ListSnapshotsRequest { Limit = request.Limit }, owner.ToHeaders(), cancellationToken: context.CancellationToken);
    }

    public override async Task ListEntries(ListClientEntriesRequest request, IServerStreamWriter<ListEntriesResponse> responseStream, ServerCallContext context)
    {
        var owner = await OwnerAsync(request.ClientId, context);
        var upstream = new ListEntriesRequest { Backup = request.Backup, Path = request.Path, Recursive = request.Recursive };
        using var call = ingest.ListEntries(upstream, owner.ToHeaders(), cancellationToken: context.CancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    private async Task<SnapshotOwner> OwnerAsync(string clientId, ServerCallContext context)
    {
        var client = await readable.FindAsync(clientId, "client_id", context);
        return new SnapshotOwner(client.TenantId, client.Id);
    }
}
