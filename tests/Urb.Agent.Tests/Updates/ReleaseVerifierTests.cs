using System.Security.Cryptography;
using System.Text;
using Urb.Agent.Updates;
using Urb.Domain.Releases;

namespace Urb.Agent.Tests.Updates;

public sealed class ReleaseVerifierTests
{
    private static readonly ReleaseVersion Running = ReleaseVersion.Parse("0.1.0");

    [Fact]
    public void VerifyManifest_SignedByTheTrustedKey_ReturnsTheManifest()
    {
        using var key = Releases.NewKey();
        var manifest = Releases.Manifest(key);

        var verified = ReleaseVerifier.VerifyManifest(Releases.Signed(key, manifest), Releases.Trusting(key), Running, "linux-x64");

        Assert.Equal(manifest, verified);
    }

    [Fact]
    public void VerifyManifest_WithoutSignature_IsRefused()
    {
        using var key = Releases.NewKey();

        var refused = Assert.Throws<ReleaseRefusedException>(() =>
            ReleaseVerifier.VerifyManifest(Releases.Manifest(key).Statement(), Releases.Trusting(key), Running, "linux-x64"));

        Assert.Contains("not signed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyManifest_MalformedSignature_IsRefused()
    {
        using var key = Releases.NewKey();
        byte[] file = [.. Releases.Manifest(key).Statement(), .. "signature c2hvcnQ=\n"u8];

        var refused = Assert.Throws<ReleaseRefusedException>(() => ReleaseVerifier.VerifyManifest(file, Releases.Trusting(key), Running, "linux-x64"));

        Assert.Contains("malformed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyManifest_SignedByAnotherKey_IsRefusedNamingBothKeys()
    {
        using var trusted = Releases.NewKey();
        using var other = Releases.NewKey();
        var manifest = Releases.Manifest(other);

        var refused = Assert.Throws<ReleaseRefusedException>(() =>
            ReleaseVerifier.VerifyManifest(Releases.Signed(other, manifest), Releases.Trusting(trusted), Running, "linux-x64"));

        Assert.Contains($"another key ({manifest.KeyId})", refused.Message, StringComparison.Ordinal);
        Assert.Contains(Releases.Trusting(trusted).Id, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyManifest_ClaimingTheTrustedKeyIdButSignedByAnother_IsRefused()
    {
        using var trusted = Releases.NewKey();
        using var other = Releases.NewKey();
        var manifest = Releases.Manifest(other) with { KeyId = Releases.Trusting(trusted).Id };

        var refused = Assert.Throws<ReleaseRefusedException>(() =>
            ReleaseVerifier.VerifyManifest(Releases.Signed(other, manifest), Releases.Trusting(trusted), Running, "linux-x64"));

        Assert.Contains("not valid", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version 0.2.0", "version 9.0.0")]
    [InlineData("platform linux-x64", "platform linux-x65")]
    [InlineData("size 3", "size 4")]
    public void VerifyManifest_StatementChangedAfterSigning_IsRefused(string from, string to)
    {
        using var key = Releases.NewKey();
        var text = Encoding.UTF8.GetString(Releases.Signed(key, Releases.Manifest(key)));
        var changed = text.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(text, changed);

        Assert.Throws<ReleaseRefusedException>(() =>
            ReleaseVerifier.VerifyManifest(Encoding.UTF8.GetBytes(changed), Releases.Trusting(key), Running, "linux-x64"));
    }

    [Fact]
    public void VerifyManifest_OneSignatureBitFlipped_IsRefused()
    {
        using var key = Releases.NewKey();
        var manifest = Releases.Manifest(key);
        var statement = manifest.Statement();
        var signature = NSec.Cryptography.SignatureAlgorithm.Ed25519.Sign(key, statement);
        signature[10] ^= 0x01;

        Assert.Throws<ReleaseRefusedException>(() =>
            ReleaseVerifier.VerifyManifest(SignedReleaseManifest.Compose(statement, signature), Releases.Trusting(key), Running, "linux-x64"));
    }

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.0.9")]
    public void VerifyManifest_NotNewerThanTheRunningAgent_IsRefused(string version)
    {
        using var key = Releases.NewKey();

        var refused = Assert.Throws<ReleaseRefusedException>(() =>
            ReleaseVerifier.VerifyManifest(Releases.Signed(key, Releases.Manifest(key, version)), Releases.Trusting(key), Running, "linux-x64"));

        Assert.Contains("not newer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyManifest_ForAnotherPlatform_IsRefused()
    {
        using var key = Releases.NewKey();

        Assert.Throws<ReleaseRefusedException>(() =>
            ReleaseVerifier.VerifyManifest(Releases.Signed(key, Releases.Manifest(key, platform: "linux-arm64")), Releases.Trusting(key), Running, "linux-x64"));
    }

    [Fact]
    public void VerifyArchive_SameBytes_Passes()
    {
        using var key = Releases.NewKey();
        byte[] archive = [1, 2, 3];

        ReleaseVerifier.VerifyArchive(Releases.Manifest(key, archive: archive), archive.Length, SHA256.HashData(archive));
    }

    [Fact]
    public void VerifyArchive_TamperedBytes_AreRefused()
    {
        using var key = Releases.NewKey();
        var manifest = Releases.Manifest(key, archive: [1, 2, 3]);

        var refused = Assert.Throws<ReleaseRefusedException>(() => ReleaseVerifier.VerifyArchive(manifest, 3, SHA256.HashData(new byte[] { 1, 2, 4 })));

        Assert.Contains("does not match", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyArchive_OtherSize_IsRefused()
    {
        using var key = Releases.NewKey();
        var manifest = Releases.Manifest(key, archive: [1, 2, 3]);

        Assert.Throws<ReleaseRefusedException>(() => ReleaseVerifier.VerifyArchive(manifest, 4, SHA256.HashData(new byte[] { 1, 2, 3, 4 })));
    }
}
