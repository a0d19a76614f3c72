using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Settings;
using Urb.ServiceDefaults.Agents;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// An enrolled agent pausing its client's backups (mutual TLS); the pause itself is
/// <see cref="BackupPauses"/>, which <see cref="AgentBackupsService"/> obeys.
/// </summary>
public sealed class AgentPauseService(AgentIdentityResolver identities, AgentSettingsSource settings, BackupPauses pauses)
    : AgentPause.AgentPauseBase
{
    private const string ByAgent = "the agent";

    public override async Task<PauseState> Pause(PauseRequest request, ServerCallContext context)
    {
        var (clientId, tenantId, name) = await ResolvePermittedAsync(context);
        return State(await pauses.PauseAsync(tenantId, clientId, name, request.Duration?.ToTimeSpan(), ByAgent));
    }

    public override async Task<PauseState> Resume(ResumeRequest request, ServerCallContext context)
    {
        var (clientId, tenantId, name) = await ResolvePermittedAsync(context);
        await pauses.ResumeAsync(tenantId, clientId, name, ByAgent);
        return new PauseState();
    }

    public override async Task<PauseState> GetPause(GetPauseRequest request, ServerCallContext context)
    {
        var (credential, _) = await identities.ResolveLiveAsync(context);
        return State(await pauses.PausedUntilAsync(credential.ClientId));
    }

    /// <summary>The caller's client, if its allow_pause lets it pause or resume.</summary>
    private async Task<(Guid ClientId, Guid TenantId, string Name)> ResolvePermittedAsync(ServerCallContext context)
    {
        var (credential, client) = await identities.ResolveLiveAsync(context);
        ClientPermissions.EnsureMayPause(await settings.ForClientAsync(credential.ClientId, context.CancellationToken));
        return (credential.ClientId, Guid.Parse(client.TenantId), client.ClientName);
    }

    private static PauseState State(DateTimeOffset? until) =>
        until is { } at ? new PauseState { PausedUntil = Timestamp.FromDateTimeOffset(at) } : new PauseState();
}
