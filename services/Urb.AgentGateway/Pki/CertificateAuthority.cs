using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Urb.AgentGateway.Options;

namespace Urb.AgentGateway.Pki;

/// <summary>
/// The installation's CA as the gateway uses it: it signs agents' certificates and is the only
/// root an agent certificate may chain to. Loaded from <see cref="GatewayOptions.PkiDirectory"/>
/// on first use, so the process can start (and run one-shot commands such as init-pki) before
/// the PKI exists.
/// </summary>
public sealed class CertificateAuthority(IOptions<GatewayOptions> options) : IDisposable
{
    private readonly Lazy<PkiFiles> files = new(() => new PkiFiles(options.Value.PkiDirectory!));
    private readonly Lazy<X509Certificate2> ca = new(() =>
    {
        var files = new PkiFiles(options.Value.PkiDirectory!);
        return X509Certificate2.CreateFromPemFile(files.CaCertificate, files.CaKey);
    });

    public X509Certificate2 Certificate => ca.Value;

    public string CertificatePem => ca.Value.ExportCertificatePem();

    public X509Certificate2 IssueAgentCertificate(PublicKey agentKey, Guid clientId, Guid tenantId, DateTimeOffset now, TimeSpan lifetime) =>
        CertificateFactory.CreateAgent(ca.Value, agentKey, clientId, tenantId, now, lifetime);

    /// <summary>True when the certificate is an agent certificate that chains to this CA and is within its validity.</summary>
    public bool IsValidAgentCertificate(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Value);
        // Revocation is the gateway's own record (gateway.agent_credentials), checked per call.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    /// <summary>The server certificate with its key, for the agent port's TLS.</summary>
    public X509Certificate2 LoadServerCertificate() =>
        X509Certificate2.CreateFromPemFile(files.Value.GatewayCertificate, files.Value.GatewayKey);

    public void Dispose()
    {
        if (ca.IsValueCreated) ca.Value.Dispose();
    }
}
