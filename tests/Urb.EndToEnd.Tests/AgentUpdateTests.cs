using System.Text;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Signed agent updates end to end: an installed agent (the test build, 0.0.1, in a temporary
/// folder) asks a gateway that offers release 0.1.0 from its releases directory, and installs it
/// only when its manifest carries a valid signature of the trusted key and the archive matches
/// the manifest. Every refusal leaves the installation exactly as it was, exits with 7, and is
/// logged by the gateway.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AgentUpdateTests(StackFixture fixture, AgentReleaseFixture releases) : IClassFixture<AgentReleaseFixture>
{
    private const int UpdateRefused = 7;
    private const int UpdateInstalled = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Update_CorrectlySignedRelease_IsInstalledAndTheAgentReportsTheNewVersion()
    {
        var (gateway, agent, installation) = await SetUpAsync(releases.Manifest);
        await using var _ = gateway;

        var update = await installation.RunAsync(agent.StateDirectory, releases.TrustedPublicKey, "update");

        Assert.True(update.ExitCode == 0, $"update exited {update.ExitCode}:\n{update.StandardError}\n{update.StandardOutput}");
        Assert.Contains($"Updated the agent from {AgentInstallation.InstalledVersion} to {releases.Version}", update.StandardOutput);
        Assert.Equal($"versions/{releases.Version}", installation.CurrentTarget);
        Assert.Equal(["current", "versions", $"versions/{AgentInstallation.InstalledVersion}", $"versions/{releases.Version}"], installation.Entries());
        Assert.StartsWith(releases.Version + "+", await installation.VersionAsync());
        var again = await installation.RunAsync(agent.StateDirectory, releases.TrustedPublicKey, "update");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"up to date ({releases.Version})", again.StandardOutput);
        await WaitForLogAsync(gateway, $"installed agent release {releases.Version} (was {AgentInstallation.InstalledVersion})");
    }

    public static TheoryData<string> Tamperings => new() { "bad signature", "another key", "tampered archive", "no signature" };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Update_ReleaseThatDoesNotVerify_IsRefusedAndNothingChanges(string tampering)
    {
        var (manifest, reason) = tampering switch
        {
            "bad signature" => (WithFlippedSignatureBit(releases.Manifest), "signature is not valid"),
            "another key" => (releases.ManifestOfOtherKey, $"signed by another key"),
            "tampered archive" => (releases.Manifest, "does not match its signed manifest"),
            _ => (WithoutSignature(releases.Manifest), "not signed"),
        };
        var (gateway, agent, installation) = await SetUpAsync(manifest, tamperArchive: tampering == "tampered archive");
        await using var _ = gateway;
        var before = installation.Entries();

        var update = await installation.RunAsync(agent.StateDirectory, releases.TrustedPublicKey, "update");

        Assert.True(update.ExitCode == UpdateRefused, $"update exited {update.ExitCode}:\n{update.StandardError}\n{update.StandardOutput}");
        Assert.Contains("update refused, nothing was replaced", update.StandardError);
        Assert.Contains(reason, update.StandardError);
        Assert.Equal($"versions/{AgentInstallation.InstalledVersion}", installation.CurrentTarget);
        Assert.Equal(before, installation.Entries());
        await WaitForLogAsync(gateway, $"refused agent release {releases.Version}: ");
    }

    [Fact]
    public async Task Run_CorrectlySignedRelease_IsInstalledAtConnectAndTheDaemonExitsToBeRestarted()
    {
        var (gateway, agent, installation) = await SetUpAsync(releases.Manifest);
        await using var _ = gateway;

        await using var daemon = installation.StartDaemon(agent.StateDirectory, releases.TrustedPublicKey);

        Assert.Equal(UpdateInstalled, await daemon.WaitForExitAsync(Patience));
        Assert.Contains($"installed agent {releases.Version} (was {AgentInstallation.InstalledVersion})", daemon.Output);
        Assert.Equal($"versions/{releases.Version}", installation.CurrentTarget);
    }

    [Fact]
    public async Task Run_ReleaseSignedByAnotherKey_IsRefusedAndTheDaemonRunsOn()
    {
        var (gateway, agent, installation) = await SetUpAsync(releases.ManifestOfOtherKey);
        await using var _ = gateway;

        await using var daemon = installation.StartDaemon(agent.StateDirectory, releases.TrustedPublicKey);

        await WaitForLogAsync(gateway, $"refused agent release {releases.Version}: ");
        // The daemon reports to the server before it logs the refusal itself.
        await WaitForLogAsync(daemon, "update refused, nothing was replaced: the release is signed by another key");
        Assert.False(daemon.HasExited, daemon.Output);
        Assert.Equal($"versions/{AgentInstallation.InstalledVersion}", installation.CurrentTarget);
    }

    /// <summary>A gateway whose releases directory holds the archive (tampered if asked) and <paramref name="manifest"/>, an agent enrolled through it, and an installation.</summary>
    private async Task<(ChildProcess Gateway, BackupAgent Agent, AgentInstallation Installation)> SetUpAsync(byte[] manifest, bool tamperArchive = false)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Stack.Directory, "releases-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var archive = Path.Combine(directory, releases.ArchiveName);
        File.Copy(releases.Archive, archive);
        if (tamperArchive)
        {
            await using var file = new FileStream(archive, FileMode.Open, FileAccess.ReadWrite);
            file.Position = file.Length / 2;
            var value = file.ReadByte();
            file.Position = file.Length / 2;
            file.WriteByte((byte)(value ^ 0xff));
        }
        await File.WriteAllBytesAsync(archive + ".manifest", manifest);
        var ports = ServicePorts.Allocate();
        var gateway = await Stack.StartServiceAsync(UrbStack.Gateway, ports, new Dictionary<string, string?> { ["Gateway__AgentReleasesDirectory"] = directory });
        var agent = (await BackupAgent.EnrollAsync(Stack)).ThroughGateway(ports.AgentAddress);
        return (gateway, agent, AgentInstallation.Create(Stack.Directory));
    }

    private static byte[] WithFlippedSignatureBit(byte[] manifest)
    {
        var lines = Encoding.ASCII.GetString(manifest).TrimEnd('\n').Split('\n');
        var signature = Convert.FromBase64String(lines[^1]["signature ".Length..]);
        signature[0] ^= 0x01;
        lines[^1] = "signature " + Convert.ToBase64String(signature);
        return Encoding.ASCII.GetBytes(string.Join('\n', lines) + "\n");
    }

    private static byte[] WithoutSignature(byte[] manifest)
    {
        var text = Encoding.ASCII.GetString(manifest);
        return Encoding.ASCII.GetBytes(text[..(text.IndexOf("signature ", StringComparison.Ordinal))]);
    }

    private static async Task WaitForLogAsync(ChildProcess process, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{process.Name} did not log '{text}':\n{process.Output}");
            await Task.Delay(100);
        }
    }
}
