using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using NSec.Cryptography;
using Urb.Domain.Releases;

namespace Urb.Admin.Releases;

/// <summary>
/// Release keys and signatures: an Ed25519 key pair per installation, and the signed manifest
/// (<see cref="ReleaseManifest"/>) that agents check before they install a release.
/// </summary>
public static class ReleaseSigner
{
    public const string PrivateKeyFile = "release.key";
    public const string PublicKeyFile = "release.pub";

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    /// <summary>
    /// Writes DIR/release.key (PKCS#8 PEM, mode 0600, created so that it is never readable by
    /// others, not even for a moment) and DIR/release.pub (the raw public key in base64, the value
    /// of the agent's UrbReleasePublicKey). Refuses to overwrite either. Returns the public key.
    /// </summary>
    public static string GenerateKeyPair(string directory)
    {
        var privatePath = Path.Combine(directory, PrivateKeyFile);
        var publicPath = Path.Combine(directory, PublicKeyFile);
        foreach (var path in new[] { privatePath, publicPath })
        {
            if (File.Exists(path)) throw new IOException($"{path} exists already; a release key is never overwritten.");
        }
        Directory.CreateDirectory(directory);
        using var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var publicKey = Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(privatePath, options))
        {
            file.Write(key.Export(KeyBlobFormat.PkixPrivateKeyText));
            file.Flush(flushToDisk: true);
        }
        File.WriteAllText(publicPath, publicKey + "\n");
        return publicKey;
    }

    /// <summary>The key ID of a public key as release.pub holds it.</summary>
    public static string KeyIdOf(string publicKey) => ReleaseManifest.KeyIdOf(Convert.FromBase64String(publicKey.Trim()));

    /// <summary>
    /// The manifest file for <paramref name="archive"/> as <paramref name="version"/>, signed with
    /// the private key in <paramref name="keyFile"/>. Checks first that the archive is an agent
    /// release of that very version, because an agent that installed a release whose files are of
    /// another version would be offered it again and again.
    /// </summary>
    public static (ReleaseManifest Manifest, byte[] File) Sign(string keyFile, string archive, ReleaseVersion version, string platform)
    {
        using var key = Key.Import(Ed25519, File.ReadAllBytes(keyFile), KeyBlobFormat.PkixPrivateKeyText);
        CheckAgentVersion(archive, version);
        byte[] sha256;
        using (var stream = File.OpenRead(archive)) sha256 = SHA256.HashData(stream);
        var manifest = new ReleaseManifest(version, platform, Path.GetFileName(archive), new FileInfo(archive).Length,
            Convert.ToHexStringLower(sha256), ReleaseManifest.KeyIdOf(key.PublicKey.Export(KeyBlobFormat.RawPublicKey))).Validated();
        var statement = manifest.Statement();
        return (manifest, SignedReleaseManifest.Compose(statement, Ed25519.Sign(key, statement)));
    }

    /// <summary>
    /// The agent in the archive must be the release's version: the assembly version of
    /// Urb.Agent.dll, or for the native agent (Urb.Agent) the version file written beside it at publish.
    /// </summary>
    private static void CheckAgentVersion(string archive, ReleaseVersion version)
    {
        var (built, native, what) = ReadAgentVersion(archive);
        if (native && built is null) throw new FormatException($"{archive} holds the native agent without its {ReleaseFiles.NativeVersion}.");
        if (built is null || built.Major != version.Major || built.Minor != version.Minor || built.Build != version.Patch)
        {
            throw new FormatException($"the agent in {archive} ({what}) is version {built?.ToString(3)}, not {version}.");
        }
    }

    private static (Version? Built, bool Native, string What) ReadAgentVersion(string archive)
    {
        var temporary = Path.Combine(Path.GetTempPath(), $"urb-release-{Guid.NewGuid():N}.dll");
        try
        {
            var (native, nativeVersion) = (false, (string?)null);
            using (var file = File.OpenRead(archive))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                    switch (entry.Name.TrimStart('.', '/'))
                    {
                        case ReleaseFiles.RuntimeAssembly:
                            entry.ExtractToFile(temporary, overwrite: false);
                            break;
                        case ReleaseFiles.NativeExecutable:
                            native = true;
                            break;
                        case ReleaseFiles.NativeVersion when entry.DataStream is { } data:
                            using (var reader = new StreamReader(data)) nativeVersion = reader.ReadToEnd().Trim();
                            break;
                    }
                }
            }
            if (File.Exists(temporary)) return (AssemblyName.GetAssemblyName(temporary).Version, false, ReleaseFiles.RuntimeAssembly);
            if (!native)
            {
                throw new FormatException(
                    $"{archive} is not an agent release: it has neither {ReleaseFiles.NativeExecutable} nor {ReleaseFiles.RuntimeAssembly} at its top level.");
            }
            return (Version.TryParse(nativeVersion, out var parsed) ? parsed : null, true, ReleaseFiles.NativeExecutable);
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"{archive} is not a .tar.gz file: {e.Message}");
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
