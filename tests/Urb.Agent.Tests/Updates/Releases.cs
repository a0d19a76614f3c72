using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using NSec.Cryptography;
using Urb.Agent.Updates;
using Urb.Domain.Releases;

namespace Urb.Agent.Tests.Updates;

/// <summary>Key pairs, signed manifests and release archives made by the tests themselves.</summary>
internal static class Releases
{
    public static Key NewKey() =>
        Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public static ReleaseKey Trusting(Key key) =>
        ReleaseKey.FromBase64(Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));

    public static ReleaseManifest Manifest(Key key, string version = "0.2.0", byte[]? archive = null, string platform = "linux-x64")
    {
        archive ??= [1, 2, 3];
        return new ReleaseManifest(ReleaseVersion.Parse(version), platform, $"urb-agent-{version}.tar.gz", archive.Length,
            Convert.ToHexStringLower(SHA256.HashData(archive)), ReleaseManifest.KeyIdOf(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
    }

    public static byte[] Signed(Key key, ReleaseManifest manifest)
    {
        var statement = manifest.Statement();
        return SignedReleaseManifest.Compose(statement, SignatureAlgorithm.Ed25519.Sign(key, statement));
    }

    /// <summary>A .tar.gz made with the entries given (name → content; null content makes a directory).</summary>
    public static void WriteArchive(string path, params (string Name, string? Content)[] entries) =>
        WriteArchive(path, entries.Select(e => e.Content is null
            ? (TarEntry)new PaxTarEntry(TarEntryType.Directory, e.Name)
            : new PaxTarEntry(TarEntryType.RegularFile, e.Name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(e.Content)) }));

    public static void WriteArchive(string path, IEnumerable<TarEntry> entries)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var entry in entries) tar.WriteEntry(entry);
    }
}
