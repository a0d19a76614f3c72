using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Urb.Domain.Identity;

namespace Urb.Domain.Tests;

public sealed class CertificatePinTests
{
    private static X509Certificate2 SelfSigned(ECDsa key, string subject, int validDays)
    {
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(validDays));
    }

    [Fact]
    public void Of_Certificate_Is32Bytes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = SelfSigned(key, "urb-ca", 1);

        Assert.Equal(32, CertificatePin.Of(cert).Length);
    }

    [Fact]
    public void Of_Certificate_IsSha256OfSubjectPublicKeyInfo()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = SelfSigned(key, "urb-ca", 1);

        Assert.Equal(SHA256.HashData(key.ExportSubjectPublicKeyInfo()), CertificatePin.Of(cert));
    }

    [Fact]
    public void Of_TwoCertificatesWithSameKey_AreEqual()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var first = SelfSigned(key, "urb-ca", 1);
        using var second = SelfSigned(key, "urb-ca-reissued", 365);
        Assert.NotEqual(first.RawData, second.RawData);

        Assert.Equal(CertificatePin.Of(first), CertificatePin.Of(second));
    }

    [Fact]
    public void Of_CertificatesWithDifferentKeys_Differ()
    {
        using var key1 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key2 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var first = SelfSigned(key1, "urb-ca", 1);
        using var second = SelfSigned(key2, "urb-ca", 1);

        Assert.NotEqual(CertificatePin.Of(first), CertificatePin.Of(second));
    }

    [Fact]
    public void Matches_PinOfSameKey_ReturnsTrue()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var first = SelfSigned(key, "urb-ca", 1);
        using var reissued = SelfSigned(key, "urb-ca-reissued", 30);

        var pin = CertificatePin.Of(first);

        Assert.True(CertificatePin.Matches(first, pin));
        Assert.True(CertificatePin.Matches(reissued, pin));
    }

    [Fact]
    public void Matches_PinOfOtherKey_ReturnsFalse()
    {
        using var key1 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key2 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var trusted = SelfSigned(key1, "urb-ca", 1);
        using var impostor = SelfSigned(key2, "urb-ca", 1);

        Assert.False(CertificatePin.Matches(impostor, CertificatePin.Of(trusted)));
    }

    [Fact]
    public void Matches_TruncatedOrEmptyPin_ReturnsFalse()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = SelfSigned(key, "urb-ca", 1);
        var pin = CertificatePin.Of(cert);

        Assert.False(CertificatePin.Matches(cert, pin.AsSpan(0, 31)));
        Assert.False(CertificatePin.Matches(cert, ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Matches_PinWithOneBitFlipped_ReturnsFalse()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = SelfSigned(key, "urb-ca", 1);
        var pin = CertificatePin.Of(cert);
        pin[^1] ^= 0x01;

        Assert.False(CertificatePin.Matches(cert, pin));
    }

    [Fact]
    public void Create_EnrollmentTokenWithCertificatePin_RoundTripsPin()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = SelfSigned(key, "urb-ca", 1);

        var parsed = EnrollmentToken.Parse(EnrollmentToken.Create(CertificatePin.Of(cert)).ToString());

        Assert.True(CertificatePin.Matches(cert, parsed.CaPin));
    }
}
