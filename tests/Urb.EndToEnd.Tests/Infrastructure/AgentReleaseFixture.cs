using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What the update tests sign and serve, made once per test class: two release key pairs from
/// Urb.Admin's <c>release keygen</c> (the one the installed agent trusts, and another), and a
/// release archive of the agent's build output (version 0.1.0, newer than the installed test
/// build), signed with either key by <c>release sign</c>. Removed at the end.
/// </summary>
public sealed class AgentReleaseFixture : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("urb-releases-").FullName;

    /// <summary>The version of the agent's build output, which the release is.</summary>
    public string Version { get; } = AssemblyName.GetAssemblyName(RepositoryPaths.Program("Urb.Agent")).Version!.ToString(3);

    public string ArchiveName => $"urb-agent-{Version}-linux-x64.tar.gz";

    public string Archive => Path.Combine(Directory, ArchiveName);

    /// <summary>The public key (release.pub) the installed agent trusts.</summary>
    public string TrustedPublicKey { get; private set; } = "";

    public string TrustedKeyId { get; private set; } = "";

    /// <summary>The manifest signed with the trusted key.</summary>
    public byte[] Manifest { get; private set; } = [];

    /// <summary>The manifest of the same archive signed with another key.</summary>
    public byte[] ManifestOfOtherKey { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await using (var file = File.Create(Archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(Path.GetDirectoryName(RepositoryPaths.Program("Urb.Agent"))!, gzip, includeBaseDirectory: false);
        }
        var trusted = Path.Combine(Directory, "trusted");
        var other = Path.Combine(Directory, "other");
        var keygen = await AdminAsync("release", "keygen", "--out", trusted);
        await AdminAsync("release", "keygen", "--out", other);
        TrustedPublicKey = (await File.ReadAllTextAsync(Path.Combine(trusted, "release.pub"))).Trim();
        TrustedKeyId = keygen.StandardOutput.Split("(key ")[1][..16];
        Manifest = await SignAsync(trusted);
        ManifestOfOtherKey = await SignAsync(other);
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    public static async Task<ProgramRun> AdminAsync(params string[] arguments) =>
        (await ChildProcess.RunDotnetAsync(RepositoryPaths.Program("Urb.Admin"), arguments, new Dictionary<string, string?>(), Timeout)).EnsureSuccess();

    private async Task<byte[]> SignAsync(string keyDirectory)
    {
        var manifest = Path.Combine(keyDirectory, "signed.manifest");
        await AdminAsync("release", "sign", "--key", Path.Combine(keyDirectory, "release.key"), "--version", Version, "--out", manifest, Archive);
        return await File.ReadAllBytesAsync(manifest);
    }
}
