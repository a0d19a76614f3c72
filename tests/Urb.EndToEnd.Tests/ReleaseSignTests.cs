using System.Formats.Tar;
using System.IO.Compression;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// <c>urb release sign</c> on the two kinds of agent release: the native agent (its version in
/// Urb.Agent.version) and the build for the .NET runtime (its assembly version). A release whose
/// agent is of another version would make every agent install it again and again, so signing refuses it.
/// </summary>
public sealed class ReleaseSignTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("urb-release-sign-").FullName;

    [Fact]
    public async Task Sign_NativeAgentOfTheReleasesVersion_WritesTheManifest()
    {
        var archive = Archive(("Urb.Agent", "\x7fELF native agent"), ("Urb.Agent.version", "1.2.3\n"), ("libe_sqlite3.so", "lib"));

        var run = await SignAsync(archive, "1.2.3");

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(directory, "signed.manifest")), run.StandardError);
    }

    [Fact]
    public async Task Sign_NativeAgentOfAnotherVersion_IsRefusedNamingBoth()
    {
        var archive = Archive(("Urb.Agent", "native"), ("Urb.Agent.version", "1.2.2"));

        var run = await SignAsync(archive, "1.2.3");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is version 1.2.2, not 1.2.3", run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory, "signed.manifest")));
    }

    [Fact]
    public async Task Sign_NativeAgentWithoutItsVersionFile_IsRefused()
    {
        var run = await SignAsync(Archive(("Urb.Agent", "native")), "1.2.3");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Urb.Agent.version", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_ArchiveWithoutAnAgent_IsRefused()
    {
        var run = await SignAsync(Archive(("README", "not an agent")), "1.2.3");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("neither Urb.Agent nor Urb.Agent.dll", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_AgentBuiltForTheRuntime_IsCheckedByItsAssemblyVersion()
    {
        // The Release build of the agent: its assembly version is the project's.
        var built = System.Reflection.AssemblyName.GetAssemblyName(RepositoryPaths.Program("Urb.Agent")).Version!;
        var archive = Archive(("Urb.Agent.dll", null));

        Assert.Equal(0, (await SignAsync(archive, built.ToString(3))).ExitCode);
        var wrong = await SignAsync(archive, $"{built.Major}.{built.Minor}.{built.Build + 1}");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains($"is version {built.ToString(3)}", wrong.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private async Task<ProgramRun> SignAsync(string archive, string version)
    {
        var keys = Path.Combine(directory, "keys-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(keys);
        await AgentReleaseFixture.AdminAsync("release", "keygen", "--out", keys);
        File.Delete(Path.Combine(directory, "signed.manifest"));
        return await ChildProcess.RunDotnetAsync(RepositoryPaths.Program("Urb.Admin"),
            ["release", "sign", "--key", Path.Combine(keys, "release.key"), "--version", version, "--out", Path.Combine(directory, "signed.manifest"), archive],
            new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));
    }

    /// <summary>A .tar.gz of the given files at its top level; a null content copies the Release build's agent assembly.</summary>
    private string Archive(params (string Name, string? Content)[] files)
    {
        var path = Path.Combine(directory, $"release-{Guid.NewGuid():N}.tar.gz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip);
        foreach (var (name, content) in files)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "./" + name)
            {
                DataStream = content is null
                    ? File.OpenRead(RepositoryPaths.Program("Urb.Agent"))
                    : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            };
            tar.WriteEntry(entry);
        }
        return path;
    }
}
