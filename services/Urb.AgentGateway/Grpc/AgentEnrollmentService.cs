using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.AgentGateway.Enrollment;
using Urb.AgentGateway.Pki;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Directory.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Urb.ServiceDefaults.LiveLogging;

namespace Urb.AgentGateway.Grpc;

/// <summary>Enrolment: a one-time token and a certificate request in, the agent's own certificate out.</summary>
public sealed partial class AgentEnrollmentService(
    ClientDirectory.ClientDirectoryClient directory,
    CertificateAuthority ca,
    AgentCredentialIssuer issuer,
    EnrollmentThrottle throttle,
    TimeProvider time,
    LiveLog liveLog,
    ILogger<AgentEnrollmentService> logger) : AgentEnrollment.AgentEnrollmentBase
{
    private static readonly TimeSpan DirectoryDeadline = TimeSpan.FromSeconds(15);

    public override Task<GetCaCertificateResponse> GetCaCertificate(GetCaCertificateRequest request, ServerCallContext context) =>
        Task.FromResult(new GetCaCertificateResponse { CaCertificatePem = ca.CertificatePem });

    public override async Task<EnrollResponse> Enroll(EnrollRequest request, ServerCallContext context)
    {
        var address = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "unknown";
        await throttle.EnsureAllowedAsync(address);
        _ = EnrollmentToken.Parse(request.Token);
        var agentKey = AgentCredentialIssuer.ReadCertificateRequest(request.CertificateRequest);

        ClientIdentity identity;
        try
        {
            identity = await directory.RedeemEnrollmentTokenAsync(
                new RedeemEnrollmentTokenRequest { Token = request.Token, Hostname = request.Hostname },
                deadline: time.GetUtcNow().UtcDateTime + DirectoryDeadline,
                cancellationToken: context.CancellationToken);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.InvalidArgument)
        {
            await throttle.RecordFailureAsync(address);
            LogRefused(logger, address, e.Status.Detail);
            // No tenant is known for a refused token: an installation-wide security event.
            liveLog.Publish(LiveLogEvent.Installation(LiveLogLevel.Warning, $"Enrolment refused from {address}: {e.Status.Detail}"));
            throw;
        }

        var clientId = Guid.Parse(identity.ClientId);
        var tenantId = Guid.Parse(identity.TenantId);
        using var certificate = await issuer.IssueAsync(agentKey, clientId, tenantId, request.Hostname, context.CancellationToken);
        LogEnrolled(logger, identity.ClientName, clientId, identity.TenantName, address);
        liveLog.Publish(LiveLogEvent.ForClient(tenantId, clientId, LiveLogLevel.Info, $"Client {identity.ClientName} enrolled from {address}"));

        return new EnrollResponse
        {
            ClientId = identity.ClientId,
            ClientName = identity.ClientName,
            TenantId = identity.TenantId,
            TenantName = identity.TenantName,
            ClientCertificatePem = certificate.ExportCertificatePem(),
            CaCertificatePem = ca.CertificatePem,
            CertificateExpiresAt = Timestamp.FromDateTime(certificate.NotAfter.ToUniversalTime()),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent enrolled as client {ClientName} ({ClientId}) of tenant {TenantName} from {Address}")]
    private static partial void LogEnrolled(ILogger logger, string clientName, Guid clientId, string tenantName, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enrolment from {Address} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string address, string reason);
}
