using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Urb.AgentGateway.Pki;

/// <summary>
/// TLS for the agent port: 1.2 or 1.3 with forward-secret AEAD suites only (see
/// <see cref="CipherSuites"/>), no renegotiation; the server's certificate (agents check it
/// against the CA they pinned; .NET leaves a self-signed root out of the chain it sends); an agent
/// may present a client certificate (enrolment comes without one), which must chain to the
/// installation's CA. Built on the first connection, so the process can start (and run its
/// one-shot commands such as init-pki) before the PKI exists.
/// </summary>
public sealed class AgentTls(CertificateAuthority ca)
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// In the server's order of preference. TLS 1.3's three suites, then TLS 1.2 with an
    /// ephemeral ECDH key exchange and an AEAD cipher: no CBC (Lucky13 and its kin), no RSA key
    /// transport (no forward secrecy, ROBOT), no SHA-1 MAC, no finite-field DHE. The gateway's own
    /// key (init-pki) is ECDSA P-256, so of the TLS 1.2 suites only the ECDSA ones are ever
    /// chosen; the RSA-signed ones are there for an operator who installs an RSA certificate.
    /// </summary>
    public static readonly IReadOnlyList<TlsCipherSuite> CipherSuites =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    private static readonly List<SslApplicationProtocol> ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private readonly Lazy<SslServerAuthenticationOptions> options = new(() => Create(ca));

    public SslServerAuthenticationOptions Options => options.Value;

    private static SslServerAuthenticationOptions Create(CertificateAuthority ca)
    {
        var server = ca.LoadServerCertificate();
        var options = new SslServerAuthenticationOptions
        {
            EnabledSslProtocols = Protocols,
            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
            // Off by default since .NET 7; said here because it matters. TLS 1.3 has none at all.
            AllowRenegotiation = false,
            ServerCertificateContext = SslStreamCertificateContext.Create(server, [ca.Certificate], offline: true),
            ApplicationProtocols = ApplicationProtocols,
            // Ask for a certificate but accept a connection without one: enrolment has none yet,
            // and every call that needs one checks for it (AgentIdentityResolver).
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is null || ca.IsValidAgentCertificate(new X509Certificate2(certificate)),
        };
        // Only OpenSSL (Linux) lets a process choose its suites; elsewhere the system's policy applies.
        if (OperatingSystem.IsLinux()) options.CipherSuitesPolicy = new CipherSuitesPolicy(CipherSuites);
        return options;
    }
}
