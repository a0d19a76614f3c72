using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Urb.AgentGateway.Data;
using Urb.AgentGateway.Options;
using Urb.Domain.Errors;

namespace Urb.AgentGateway.Pki;

/// <summary>
/// Issues an agent's client certificate for the key in its certificate request and records the
/// serial, at enrolment and at each renewal. The gateway chooses subject and extensions; only
/// the public key comes from the agent.
/// </summary>
public sealed class AgentCredentialIssuer(GatewayDbContext db, CertificateAuthority ca, IOptions<GatewayOptions> options, TimeProvider time)
{
    public string CaCertificatePem => ca.CertificatePem;

    /// <summary>The public key of a well-formed, self-signed PKCS#10 request (the signature proves the agent holds the key).</summary>
    public static PublicKey ReadCertificateRequest(Google.Protobuf.ByteString der)
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

    public async Task<X509Certificate2> IssueAsync(PublicKey agentKey, Guid clientId, Guid tenantId, string? hostname, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var certificate = ca.IssueAgentCertificate(agentKey, clientId, tenantId, now, options.Value.AgentCertificateLifetime);
        db.AgentCredentials.Add(new AgentCredential
        {
            Serial = certificate.SerialNumber,
            ClientId = clientId,
            TenantId = tenantId,
            Hostname = hostname is { Length: > 255 } ? hostname[..255] : hostname,
            IssuedAt = now,
            ExpiresAt = certificate.NotAfter.ToUniversalTime(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return certificate;
    }
}
