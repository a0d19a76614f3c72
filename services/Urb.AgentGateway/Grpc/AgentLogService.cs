using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Errors;
using Urb.Domain.Settings;
using Urb.ServiceDefaults.LiveLogging;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// An enrolled agent's own live log (see log.proto). The scope is built here from the
/// certificate's client and the tenant the catalog gives it, never from the request, so an agent
/// cannot ask for its tenant's other clients or the installation-wide lines.
/// </summary>
public sealed class AgentLogService(
    AgentIdentityResolver identities, AgentSettingsSource settings, LiveAgentCalls liveCalls, LiveLogReader reader) : AgentLog.AgentLogBase
{
    public const int MaxHistory = 1000;

    public override async Task Follow(FollowAgentLogRequest request, IServerStreamWriter<AgentLogLine> responseStream, ServerCallContext context)
    {
        var level = LiveLogLevels.MinimumOf((int)request.MinLevel)
            ?? throw new InvalidInputException("min_level", "min_level is AGENT_LOG_LEVEL_DEBUG, INFO, WARNING or ERROR (unspecified: INFO).");
        if (request.History is < 0 or > MaxHistory) throw new InvalidInputException("history", $"history is 0–{MaxHistory}.");
        var credential = await identities.ResolveAsync(context);
        // Tracked before the catalog is asked, as every agent call: revoking the client's
        // credentials or deleting it ends an open follow at once.
        using var live = liveCalls.Track(credential.ClientId, context.CancellationToken);
        var client = await identities.CheckClientAsync(credential, context);
        ClientPermissions.EnsureMayViewLog(await settings.ForClientAsync(credential.ClientId, live.Token));
        var scope = LiveLogScope.OfClient(Guid.Parse(client.TenantId), credential.ClientId, level);
        try
        {
            if (!request.Follow)
            {
                foreach (var e in await reader.RecentAsync(scope, request.History)) await responseStream.WriteAsync(ToLine(e), live.Token);
                return;
            }
            await foreach (var batch in reader.FollowAsync(scope, request.History, after: null, live.Token))
            {
                foreach (var e in batch) await responseStream.WriteAsync(ToLine(e), live.Token);
            }
        }
        catch (OperationCanceledException) when (live.IsCutOff)
        {
            throw LiveAgentCall.CutOffError();
        }
    }

    private static AgentLogLine ToLine(LiveLogEntry e) => new()
    {
        Id = e.Id,
        Time = Timestamp.FromDateTimeOffset(e.Time),
        // The contract numbers its levels as the publisher does (debug 1 … error 4).
        Level = (AgentLogLevel)(int)e.Level,
        Service = e.Service,
        Message = e.Message,
    };
}
