using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshots;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// An enrolled agent's backups and restores (mutual TLS), relayed to Urb.Ingest message by
/// message for the client its certificate names: the agent never says whose snapshots it means,
/// so it cannot name another client's. The messages pass through as bytes (see
/// <see cref="RawMessages"/>): <c>urb.agent.v1.Backups</c> here, <c>urb.ingest.v1.Ingest</c> there.
/// </summary>
/// <remarks>Not sealed, and the methods virtual: gRPC's binding accepts only virtual methods
/// declared by the type that carries <see cref="BindServiceMethodAttribute"/>.</remarks>
[BindServiceMethod(typeof(AgentBackupsService), nameof(BindService))]
public class AgentBackupsService(AgentIdentityResolver identities, RawIngestClient ingest)
{
    private static readonly Method<byte[], byte[]> RunMethod = RawMessages.Method(Backups.Descriptor, "Run");
    private static readonly Method<byte[], byte[]> ListSnapshotsMethod = RawMessages.Method(Backups.Descriptor, "ListSnapshots");
    private static readonly Method<byte[], byte[]> ListEntriesMethod = RawMessages.Method(Backups.Descriptor, "ListEntries");
    private static readonly Method<byte[], byte[]> RestoreMethod = RawMessages.Method(Backups.Descriptor, "Restore");

    /// <summary>Called by gRPC's service binding (the attribute above), once with no instance.</summary>
    public static void BindService(ServiceBinderBase binder, AgentBackupsService? service)
    {
        binder.AddMethod(RunMethod, service is null ? null : new DuplexStreamingServerMethod<byte[], byte[]>(service.Run));
        binder.AddMethod(ListSnapshotsMethod, service is null ? null : new UnaryServerMethod<byte[], byte[]>(service.ListSnapshots));
        binder.AddMethod(ListEntriesMethod, service is null ? null : new ServerStreamingServerMethod<byte[], byte[]>(service.ListEntries));
        binder.AddMethod(RestoreMethod, service is null ? null : new ServerStreamingServerMethod<byte[], byte[]>(service.Restore));
    }

    public virtual async Task Run(IAsyncStreamReader<byte[]> requestStream, IServerStreamWriter<byte[]> responseStream, ServerCallContext context)
    {
        var options = await UpstreamOptionsAsync(context);
        using var relayEnded = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        using var call = ingest.Invoker.AsyncDuplexStreamingCall(RawIngestClient.RunBackup, null, options.WithCancellationToken(relayEnded.Token));
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

    public virtual async Task<byte[]> ListSnapshots(byte[] request, ServerCallContext context)
    {
        var options = await UpstreamOptionsAsync(context);
        using var call = ingest.Invoker.AsyncUnaryCall(RawIngestClient.ListSnapshots, null, options, request);
        return await call.ResponseAsync;
    }

    public virtual Task ListEntries(byte[] request, IServerStreamWriter<byte[]> responseStream, ServerCallContext context) =>
        RelayServerStreamAsync(RawIngestClient.ListEntries, request, responseStream, context);

    public virtual Task Restore(byte[] request, IServerStreamWriter<byte[]> responseStream, ServerCallContext context) =>
        RelayServerStreamAsync(RawIngestClient.Restore, request, responseStream, context);

    private async Task RelayServerStreamAsync(
        Method<byte[], byte[]> upstreamMethod, byte[] request, IServerStreamWriter<byte[]> responseStream, ServerCallContext context)
    {
        var options = await UpstreamOptionsAsync(context);
        using var call = ingest.Invoker.AsyncServerStreamingCall(upstreamMethod, null, options, request);
        await foreach (var response in call.ResponseStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    /// <summary>The call to ingest on behalf of the client the agent's certificate names.</summary>
    private async Task<CallOptions> UpstreamOptionsAsync(ServerCallContext context)
    {
        var (credential, client) = await identities.ResolveLiveAsync(context);
        var owner = new SnapshotOwner(Guid.Parse(client.TenantId), credential.ClientId);
        return new CallOptions(headers: owner.ToHeaders(), cancellationToken: context.CancellationToken);
    }

    /// <summary>The agent's messages on to ingest; the end of the agent's stream ends ingest's.
    /// A failure here (the agent went away) cancels the relay, which ingest sees as an interruption.</summary>
    private static async Task ForwardRequestsAsync(
        IAsyncStreamReader<byte[]> from, IClientStreamWriter<byte[]> to, CancellationTokenSource relayEnded)
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
