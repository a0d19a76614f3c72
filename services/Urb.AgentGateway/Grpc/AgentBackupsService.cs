using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshots;
using IngestClient = Urb.Contracts.Ingest.V1.Ingest.IngestClient;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// An enrolled agent's backups and restores (mutual TLS), relayed to Urb.Ingest message by
/// message for the client its certificate names: the agent never says whose snapshots it means,
/// so it cannot name another client's.
/// </summary>
public sealed class AgentBackupsService(AgentIdentityResolver identities, IngestClient ingest) : Backups.BackupsBase
{
    public override async Task Run(IAsyncStreamReader<BackupRequest> requestStream, IServerStreamWriter<BackupResponse> responseStream, ServerCallContext context)
    {
        var owner = await OwnerAsync(context);
        using var relayEnded = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        using var call = ingest.RunBackup(owner.ToHeaders(), cancellationToken: relayEnded.Token);
        var upstream = ForwardRequestsAsync(requestStream, call.RequestStream, relayEnded);
        try
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync(relayEnded.Token))
            {
                await responseStream.WriteAsync(response, relayEnded.Token);
            }
        }
        finally
        {
            await relayEnded.CancelAsync();
            await upstream;
        }
    }

    public override async Task<ListSnapshotsResponse> ListSnapshots(ListSnapshotsRequest request, ServerCallContext context)
    {
        var owner = await OwnerAsync(context);
        return await ingest.ListSnapshotsAsync(request, owner.ToHeaders(), cancellationToken: context.CancellationToken);
    }

    public override async Task ListEntries(ListEntriesRequest request, IServerStreamWriter<ListEntriesResponse> responseStream, ServerCallContext context)
    {
        var owner = await OwnerAsync(context);
        using var call = ingest.ListEntries(request, owner.ToHeaders(), cancellationToken: context.CancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    public override async Task Restore(RestoreRequest request, IServerStreamWriter<RestoreResponse> responseStream, ServerCallContext context)
    {
        var owner = await OwnerAsync(context);
        using var call = ingest.Restore(request, owner.ToHeaders(), cancellationToken: context.CancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    private async Task<SnapshotOwner> OwnerAsync(ServerCallContext context)
    {
        var (credential, client) = await identities.ResolveLiveAsync(context);
        return new SnapshotOwner(Guid.Parse(client.TenantId), credential.ClientId);
    }

    /// <summary>The agent's messages on to ingest; the end of the agent's stream ends ingest's.
    /// A failure here (the agent went away) cancels the relay, which ingest sees as an interruption.</summary>
    private static async Task ForwardRequestsAsync(
        IAsyncStreamReader<BackupRequest> from, IClientStreamWriter<BackupRequest> to, CancellationTokenSource relayEnded)
    {
        try
        {
            await foreach (var request in from.ReadAllAsync(relayEnded.Token))
            {
                await to.WriteAsync(request, relayEnded.Token);
            }
            await to.CompleteAsync();
        }
        catch (Exception) when (relayEnded.IsCancellationRequested)
        {
            // The relay is over (answered, failed or cancelled): nothing more to forward.
        }
        catch (Exception)
        {
            await relayEnded.CancelAsync();
        }
    }
}
