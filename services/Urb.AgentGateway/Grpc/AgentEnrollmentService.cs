using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Urb.AgentGateway.Data;
using Urb.AgentGateway.Enrollment;
using Urb.AgentGateway.Options;
using Urb.AgentGateway.Pki;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Directory.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.AgentGateway.Grpc;

/// <summary>Enrolment: a one-time token and a certificate request in, the agent's own certificate out.</summary>
public sealed partial class AgentEnrollmentService(
    ClientDirectory.ClientDirectoryClient directory,
    CertificateAuthority ca,
    GatewayDbContext db,
    EnrollmentThrottle throttle,
    IOptions<GatewayOptions> options,
    TimeProvider time,
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
        var agentKey = ReadCertificateRequest(request.CertificateRequest);

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
            throw;
        }

        var clientId = Guid.Parse(identity.ClientId);
        var tenantId = Guid.Parse(identity.TenantId);
        var now = time.GetUtcNow();
        using var certificate = ca.IssueAgentCertificate(agentKey, clientId, tenantId, now, options.Value.AgentCertificateLifetime);
        db.AgentCredentials.Add(new AgentCredential
        {
            Serial = certificate.SerialNumber,
            ClientId = clientId,
            TenantId = tenantId,
            Hostname = request.Hostname.Length > 255 ? request.Hostname[..255] : request.Hostname,
            IssuedAt = now,
            ExpiresAt = certificate.NotAfter.ToUniversalTime(),
        });
        await db.SaveChangesAsync(context.CancellationToken);
        LogEnrolled(logger, identity.ClientName, clientId, identity.TenantName, address);

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

    /// <summary>The public key of a well-formed, self-signed PKCS#10 request (the signature proves the agent holds the key).</summary>
    private static PublicKey ReadCertificateRequest(Google.Protobuf.ByteString der)
    {
        try
        {
            var request = CertificateRequest.LoadSigningRequest(der.ToByteArray(), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
            return request.PublicKey;
        }
        catch (CryptographicException e)
        {
            throw new InvalidInputException("certificate_request", $"The certificate request is not a valid PKCS#10 request: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent enrolled as client {ClientName} ({ClientId}) of tenant {TenantName} from {Address}")]
    private static partial void LogEnrolled(ILogger logger, string clientName, Guid clientId, string tenantName, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enrolment from {Address} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string address, string reason);
}
