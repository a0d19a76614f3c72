using System.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.AgentGateway.Pki;

namespace Urb.AgentGateway.Grpc;

/// <summary>Calls of enrolled agents (mutual TLS).</summary>
public sealed class AgentSessionService(
    AgentIdentityResolver identities,
    AgentCredentialIssuer issuer,
    AgentSettingsSource settings,
    TimeProvider time) : AgentSession.AgentSessionBase
{
    private static readonly string ServerVersion =
        typeof(AgentSessionService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public override async Task<GetStatusResponse> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var (credential, client) = await identities.ResolveLiveAsync(context);
        return new GetStatusResponse
        {
            ClientId = client.ClientId,
            ClientName = client.ClientName,
            TenantId = client.TenantId,
            TenantName = client.TenantName,
            ServerVersion = ServerVersion,
            ServerTime = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            CertificateExpiresAt = Timestamp.FromDateTimeOffset(credential.ExpiresAt),
        };
    }

    public override async Task<RenewCertificateResponse> RenewCertificate(RenewCertificateRequest request, ServerCallContext context)
    {
        var agentKey = AgentCredentialIssuer.ReadCertificateRequest(request.CertificateRequest);
        var (credential, client) = await identities.ResolveLiveAsync(context);
        using var certificate = await issuer.IssueAsync(agentKey, credential.ClientId, Guid.Parse(client.TenantId), credential.Hostname, context.CancellationToken);
        return new RenewCertificateResponse
        {
            ClientCertificatePem = certificate.ExportCertificatePem(),
            CaCertificatePem = issuer.CaCertificatePem,
            CertificateExpiresAt = Timestamp.FromDateTime(certificate.NotAfter.ToUniversalTime()),
        };
    }

    public override async Task<Contracts.Settings.V1.EffectiveSettings> GetSettings(GetSettingsRequest request, ServerCallContext context)
    {
        var (credential, _) = await identities.ResolveLiveAsync(context);
        return await settings.MessageForAsync(credential.ClientId, context.CancellationToken);
    }
}
