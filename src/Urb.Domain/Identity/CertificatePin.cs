using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Urb.Domain.Identity;

/// <summary>
/// A pin is the SHA-256 of a certificate's SubjectPublicKeyInfo: it survives re-issuing the
/// certificate with the same key, and names the key an agent trusts.
/// </summary>
public static class CertificatePin
{
    public static byte[] Of(X509Certificate2 certificate) =>
        SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());

    public static bool Matches(X509Certificate2 certificate, ReadOnlySpan<byte> pin) =>
        CryptographicOperations.FixedTimeEquals(Of(certificate), pin);
}
