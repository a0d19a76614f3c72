using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Urb.AgentGateway.Pki;

/// <summary>
/// TLS for the agent port: 1.2 or 1.3; the server's certificate (agents check it against the CA
/// they pinned; .NET leaves a self-signed root out of the chain it sends); an agent
/// may present a client certificate (enrolment comes without one), which must chain to the
/// installation's CA. Built on the first connection, so the process can start (and run its
/// one-shot commands such as init-pki) before the PKI exists.
/// </summary>
public sealed class AgentTls(CertificateAuthority ca)
{
    private static readonly List<SslApplicationProtocol> Protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private readonly Lazy<SslServerAuthenticationOptions> options = new(() => Create(ca));

    public SslServerAuthenticationOptions Options => options.Value;

    private static SslServerAuthenticationOptions Create(CertificateAuthority ca)
    {
        var server = ca.LoadServerCertificate();
        return new SslServerAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ServerCertificateContext = SslStreamCertificateContext.Create(server, [ca.Certificate], offline: true),
            ApplicationProtocols = Protocols,
            // Ask for a certificate but accept a connection without one: enrolment has none yet,
            // and every call that needs one checks for it (AgentIdentityResolver).
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is null || ca.IsValidAgentCertificate(new X509Certificate2(certificate)),
        };
    }
}
