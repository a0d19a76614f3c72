using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>Certificates a test makes itself: a CA of its own, or client certificates signed by a stack's CA with dates the gateway would never choose.</summary>
public static class TestCertificates
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The stack's CA with its private key, read from the PKI directory as the gateway reads it.</summary>
    public static X509Certificate2 LoadCa(string pkiDirectory) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(pkiDirectory, "ca.crt"), Path.Combine(pkiDirectory, "ca.key"));

    /// <summary>A CA nobody else knows: ECDSA P-256, like the installation's.</summary>
    public static X509Certificate2 NewCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=Urb", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    /// <summary>
    /// An agent-shaped client certificate (EKU clientAuth) signed by <paramref name="ca"/>, with the
    /// given subject, serial (random when null) and validity, together with its private key.
    /// </summary>
    public static X509Certificate2 Agent(X509Certificate2 ca, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[]? serial = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (serial is null)
        {
            serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F;
        }
        using var signed = request.Create(ca, notBefore, notAfter, serial);
        // A certificate with an ephemeral key can not be used by SslStream on Linux; a PKCS#12 round trip makes it usable.
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
