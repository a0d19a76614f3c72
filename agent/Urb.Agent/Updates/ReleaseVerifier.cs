using System.Security.Cryptography;
using NSec.Cryptography;
using Urb.Domain.Releases;

namespace Urb.Agent.Updates;

/// <summary>
/// The checks a release passes before anything of it is installed: the manifest's Ed25519
/// signature against the trusted key (over the exact bytes received, before any field is read),
/// then its version and platform, then the archive's size and SHA-256 against the manifest.
/// </summary>
public static class ReleaseVerifier
{
    /// <summary>The manifest's statement, once its signature is proven; otherwise <see cref="ReleaseRefusedException"/>.</summary>
    public static ReleaseManifest VerifyManifest(ReadOnlySpan<byte> file, ReleaseKey key, ReleaseVersion running, string platform)
    {
        SignedReleaseManifest signed;
        try
        {
            signed = SignedReleaseManifest.Split(file);
        }
        catch (FormatException e)
        {
            throw new ReleaseRefusedException($"the release manifest is malformed: {e.Message}");
        }
        if (signed.SignatureText is null) throw new ReleaseRefusedException("the release is not signed (its manifest has no signature line).");
        var signature = signed.Signature
            ?? throw new ReleaseRefusedException("the release's signature is malformed (not 64 bytes of base64).");
        if (!SignatureAlgorithm.Ed25519.Verify(key.Key, signed.Statement, signature))
        {
            // The claimed key ID is read only to say why; it decides nothing.
            var claimed = TryParse(signed.Statement)?.KeyId;
            throw new ReleaseRefusedException(claimed is not null && claimed != key.Id
                ? $"the release is signed by another key ({claimed}); this agent trusts only key {key.Id}."
                : $"the release's signature is not valid for key {key.Id} (the manifest was changed after signing, or the signature is damaged).");
        }
        ReleaseManifest manifest;
        try
        {
            manifest = ReleaseManifest.ParseStatement(signed.Statement);
        }
        catch (FormatException e)
        {
            throw new ReleaseRefusedException($"the signed manifest is malformed: {e.Message}");
        }
        if (manifest.Version <= running)
        {
            // A validly signed old release must not take an agent back to a version with known flaws.
            throw new ReleaseRefusedException($"release {manifest.Version} is not newer than this agent ({running}).");
        }
        if (manifest.Platform != platform)
        {
            throw new ReleaseRefusedException($"release {manifest.Version} is for {manifest.Platform}, and this agent runs on {platform}.");
        }
        return manifest;
    }

    /// <summary>Refuses an archive whose size or SHA-256 differs from what the signed manifest states.</summary>
    public static void VerifyArchive(ReleaseManifest manifest, long size, ReadOnlySpan<byte> sha256)
    {
        if (size != manifest.Size)
        {
            throw new ReleaseRefusedException($"the archive of release {manifest.Version} is {size} bytes, and its signed manifest says {manifest.Size}.");
        }
        if (!CryptographicOperations.FixedTimeEquals(sha256, Convert.FromHexString(manifest.Sha256)))
        {
            throw new ReleaseRefusedException($"the archive of release {manifest.Version} does not match its signed manifest (SHA-256 {Convert.ToHexStringLower(sha256)}, expected {manifest.Sha256}).");
        }
    }

    private static ReleaseManifest? TryParse(byte[] statement)
    {
        try
        {
            return ReleaseManifest.ParseStatement(statement);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
