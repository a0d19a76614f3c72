using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Urb.AgentGateway.Pki;

/// <summary>Makes the installation's certificates: the CA, the gateway's server certificate and agents' client certificates.</summary>
public static class CertificateFactory
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static X509Certificate2 CreateCa(string commonName, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Urb", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now - ClockSkew, now + lifetime);
    }

    public static X509Certificate2 CreateServer(X509Certificate2 ca, IEnumerable<string> hosts, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new SubjectAlternativeNameBuilder();
        var hostList = hosts.ToList();
        foreach (var host in hostList)
        {
            if (IPAddress.TryParse(host, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(host);
        }
        var request = new CertificateRequest($"CN={hostList.FirstOrDefault() ?? "urb-gateway"}, O=Urb", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        AddLeafExtensions(request, ca, ServerAuth);
        using var signed = request.Create(ca, now - ClockSkew, Min(now + lifetime, ca.NotAfter), NewSerial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Signs an agent's certificate request. Only the request's public key is used: subject and
    /// extensions are the server's, so an agent cannot ask for more than an agent identity.
    /// </summary>
    public static X509Certificate2 CreateAgent(X509Certificate2 ca, PublicKey agentKey, Guid clientId, Guid tenantId, DateTimeOffset now, TimeSpan lifetime)
    {
        var subject = new X500DistinguishedName($"CN={clientId}, O={tenantId}, OU=urb-agent");
        var request = new CertificateRequest(subject, agentKey, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, ca, ClientAuth);
        return request.Create(ca, now - ClockSkew, Min(now + lifetime, ca.NotAfter), NewSerial());
    }

    private static void AddLeafExtensions(CertificateRequest request, X509Certificate2 ca, Oid usage)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
    }

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive integer, as RFC 5280 asks
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b) => a < new DateTimeOffset(b.ToUniversalTime()) ? a : new DateTimeOffset(b.ToUniversalTime());
}
