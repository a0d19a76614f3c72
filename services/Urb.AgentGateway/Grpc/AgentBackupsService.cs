using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;
using Urb.Contracts.Snapshots;
using Urb.Domain.Errors;
using Urb.Domain.Settings;
using Urb.ServiceDefaults.Agents;
using Urb.ServiceDefaults.Grpc;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// An enrolled agent's backups and restores (mutual TLS), relayed to Urb.Ingest message by
/// message for the client its certificate names: the agent never says whose snapshots it means,
/// so it cannot name another client's. While the client is paused (<see cref="BackupPauses"/>) its
/// backups are held, not refused. The messages pass through as bytes (see
/// <see cref="RawMessages"/>): <c>urb.agent.v1.Backups</c> here, <c>urb.ingest.v1.Ingest</c> there.
/// </summary>
/// <remarks>Not sealed, and the methods virtual: gRPC's binding accepts only virtual methods
/// declared by the type that carries <see cref="BindServiceMethodAttribute"/>.</remarks>
[BindServiceMethod(typeof(AgentBackupsService), nameof(BindService))]
public class AgentBackupsService(
    AgentIdentityResolver identities, AgentSettingsSource settings, LiveAgentCalls liveCalls, UploadLimits uploadLimits,
    AgentCommandBus commands, BackupPauses pauses, RawIngestClient ingest)
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
        var (options, live) = await OpenAsync(context);
        using var _ = live;
        var (start, startMessage) = await ReadStartAsync(requestStream, live.Token);
        // A backup the agent starts itself obeys the client's permissions; one the server asked for
        // (its command named in the start) does not. Internet restrictions and bandwidth limits hold for both.
        var effective = await settings.ForClientAsync(live.ClientId, live.Token);
        var startedByServer = await commands.TakeCommandMarkAsync(startMessage.CommandId, live.ClientId);
        if (startMessage.CommandId.Length > 0 && !startedByServer)
        {
            throw new PermissionDeniedException("The backup names a server command that was not sent to this client (or was used already).");
        }
        ClientPermissions.EnsureMayStartBackup(effective, startMessage.Kind.ToBackupType(), startMessage.Paths, settings.IsFromInternet(context), startedByServer);
        var throttle = uploadLimits.For(live.ClientId, effective);
        var pause = pauses.GateFor(live.ClientId);
        using var relayEnded = CancellationTokenSource.CreateLinkedTokenSource(live.Token);
        await RelayAsync(live, async () =>
        {
            using var call = ingest.Invoker.AsyncDuplexStreamingCall(RawIngestClient.RunBackup, null, options.WithCancellationToken(relayEnded.Token));
            await call.RequestStream.WriteAsync(start, relayEnded.Token);
            var upstream = ForwardRequestsAsync(requestStream, call.RequestStream, pause, throttle, relayEnded);
            Exception? downstreamFailure = null;
            try
            {
                await foreach (var response in call.ResponseStream.ReadAllAsync(relayEnded.Token))
                {
                    await responseStream.WriteAsync(response, relayEnded.Token);
                }
            }
            catch (Exception e)
            {
                downstreamFailure = e;
            }
            await relayEnded.CancelAsync();
            // A message of the agent that broke a limit (too large) ended the relay: that is the
            // answer the agent needs, not the cancellation it caused on the way to ingest.
            if (await upstream is { } agentFailure) throw agentFailure;
            if (downstreamFailure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(downstreamFailure);
        });
    }

    public virtual async Task<byte[]> ListSnapshots(byte[] request, ServerCallContext context)
    {
        var (options, live) = await OpenAsync(context);
        using var _ = live;
        using var call = ingest.Invoker.AsyncUnaryCall(RawIngestClient.ListSnapshots, null, options, request);
        return await call.ResponseAsync;
    }

    public virtual Task ListEntries(byte[] request, IServerStreamWriter<byte[]> responseStream, ServerCallContext context) =>
        RelayRestoreAsync(RawIngestClient.ListEntries, request, responseStream, context);

    public virtual Task Restore(byte[] request, IServerStreamWriter<byte[]> responseStream, ServerCallContext context) =>
        RelayRestoreAsync(RawIngestClient.Restore, request, responseStream, context);

    /// <summary>Browsing and restoring: both need allow_restore.</summary>
    private async Task RelayRestoreAsync(
        Method<byte[], byte[]> upstreamMethod, byte[] request, IServerStreamWriter<byte[]> responseStream, ServerCallContext context)
    {
        var (options, live) = await OpenAsync(context);
        using var _ = live;
        ClientPermissions.EnsureMayRestore(await settings.ForClientAsync(live.ClientId, live.Token));
        await RelayAsync(live, async () =>
        {
            using var call = ingest.Invoker.AsyncServerStreamingCall(upstreamMethod, null, options, request);
            var downstream = new CoalescingResponseWriter<byte[]>(responseStream, context);
            await using var upstream = new AsyncLookahead<byte[]>(call.ResponseStream.ReadAllAsync(live.Token), live.Token);
            while (await upstream.MoveNextAsync())
            {
                await downstream.WriteAsync(upstream.Current, upstream.Current.Length, moreReady: upstream.NextIsReady, live.Token);
            }
        });
    }

    /// <summary>The backup's first message, which must be its start (ingest checks the rest).</summary>
    private static async Task<(byte[] Bytes, BackupStart Message)> ReadStartAsync(IAsyncStreamReader<byte[]> requestStream, CancellationToken cancellationToken)
    {
        if (!await requestStream.MoveNext(cancellationToken))
        {
            throw new InvalidInputException("start", "The backup stream ended before its start message.");
        }
        var bytes = requestStream.Current;
        var request = BackupRequest.Parser.ParseFrom(bytes);
        if (request.KindCase != BackupRequest.KindOneofCase.Start)
        {
            throw new InvalidInputException("start", "A backup stream begins with its start message.");
        }
        // Checked before any permission: which permission applies depends on the kind.
        if (!request.Start.Kind.IsKnown())
        {
            throw new InvalidInputException("start.kind", $"Unknown backup kind ({request.Start.Kind.DisplayName()}): incremental, full, incremental image or full image.");
        }
        return (bytes, request.Start);
    }

    /// <summary>Runs a relay; one that ends because the client was cut off answers why.</summary>
    private static async Task RelayAsync(LiveAgentCall live, Func<Task> relay)
    {
        try
        {
            await relay();
        }
        catch (Exception e) when (live.IsCutOff && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            throw LiveAgentCall.CutOffError();
        }
    }

    /// <summary>
    /// The call to ingest on behalf of the client the agent's certificate names, tracked as one of
    /// the client's open calls (cutting the client off cancels it).
    /// </summary>
    private async Task<(CallOptions Options, LiveAgentCall Live)> OpenAsync(ServerCallContext context)
    {
        var credential = await identities.ResolveAsync(context);
        // Tracked before the catalog is asked: a cut-off announced from now on ends this call,
        // and one announced earlier is in the catalog's answer.
        var live = liveCalls.Track(credential.ClientId, context.CancellationToken);
        try
        {
            var client = await identities.CheckClientAsync(credential, context);
            var owner = new SnapshotOwner(Guid.Parse(client.TenantId), credential.ClientId);
            return (new CallOptions(headers: owner.ToHeaders(), cancellationToken: live.Token), live);
        }
        catch
        {
            live.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The agent's messages on to ingest; the end of the agent's stream ends ingest's. A failure
    /// here (the agent went away, or sent a message over the size limit) cancels the relay, which
    /// ingest sees as an interruption. Returns the status of a message the gateway refused to read
    /// (such as ResourceExhausted), for the agent; null otherwise.
    /// </summary>
    private static async Task<RpcException?> ForwardRequestsAsync(
        IAsyncStreamReader<byte[]> from, IClientStreamWriter<byte[]> to, BackupPauses.Gate pause, UploadThrottle throttle, CancellationTokenSource relayEnded)
    {
        try
        {
            while (true)
            {
                // A paused client's next message is not read: as with the throttle below, HTTP/2
                // flow control then holds the agent back, and ingest sees a backup waiting.
                await pause.WaitAsync(relayEnded.Token);
                try
                {
                    if (!await from.MoveNext(relayEnded.Token)) break;
                }
                catch (RpcException refused) when (!relayEnded.IsCancellationRequested && refused.StatusCode != StatusCode.Cancelled)
                {
                    await relayEnded.CancelAsync();
                    return refused;
                }
                var request = from.Current;
                // Waiting here holds back reading from the agent, so HTTP/2 flow control slows
                // the agent down to the limit.
                await throttle.WaitAsync(request.Length, relayEnded.Token);
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
        return null;
    }
}
