using System.Text;
using Grpc.Core;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Per-client installers from Urb.Api: the Linux installer installs, enrols and writes the
/// systemd unit (in a temporary root directory); the bootstrap script makes a client named after
/// the machine and runs its installer in one command.
/// </summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallerTests(StackFixture fixture)
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(2);

    /// <summary>What .NET's x86-64-v3 target needs, as the kernel lists it in /proc/cpuinfo (LZCNT is "abm").</summary>
    private static readonly string[] X86_64_V3Flags = ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe"];

    /// <summary>What .NET's x86-64-v4 target needs beyond x86-64-v3.</summary>
    private static readonly string[] X86_64_V4Flags = [.. X86_64_V3Flags, "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"];

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task LinuxInstaller_InstallsEnrolsAndWritesTheUnit_AndItsTokenWorksOnce()
    {
        var created = await Stack.CreateClientAsync("installed-" + Guid.NewGuid().ToString("N")[..6]);
        var (fileName, installer) = await DownloadAsync(created.Client.Id, InstallerPlatform.Linux);
        Assert.Equal($"urb-agent-{created.Client.Name}.sh", fileName);
        var script = Path.Combine(Stack.Directory, fileName);
        await File.WriteAllBytesAsync(script, installer);
        var root = NewRoot();

        var install = await ShAsync(script, root);

        install.EnsureSuccess();
        // The native agent (what ./urb ships), or the build for the .NET runtime (a plain dotnet test).
        Assert.True(File.Exists(Path.Combine(root, "opt/urb-agent/current/Urb.Agent")));
        foreach (var build in (string[])["Urb.Agent.x86-64-v3", "Urb.Agent.x86-64-v4"])
        {
            Assert.Equal(File.Exists(Path.Combine(AgentProgram.Directory, build)), File.Exists(Path.Combine(root, "opt/urb-agent/current", build)));
        }
        var unit = await File.ReadAllTextAsync(Path.Combine(root, "etc/systemd/system/urb-agent.service"));
        Assert.Contains($"ExecStart={root}/usr/local/bin/urb-agent run", unit);
        Assert.Contains("Restart=always", unit);
        var status = await ChildProcess.RunAsync(Path.Combine(root, "usr/local/bin/urb-agent"), ["status", "--json"], new Dictionary<string, string?>(), InstallTimeout);
        status.EnsureSuccess();
        Assert.Contains($"\"name\":\"{created.Client.Name}\"", status.StandardOutput);
        // The build the wrapper started says which it is: the one this CPU runs best.
        Assert.Contains($"\"agentBuild\":\"{ExpectedBuild(Path.Combine(root, "opt/urb-agent/current"))}\"", status.StandardOutput);

        var again = await ShAsync(script, NewRoot());
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already used", again.StandardError + again.StandardOutput, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LinuxWrapper_RunsTheAvx512OrAvx2BuildOnlyWhereTheCpuHasAllItNeeds()
    {
        var created = await Stack.CreateClientAsync("wrapped-" + Guid.NewGuid().ToString("N")[..6]);
        var (fileName, installer) = await DownloadAsync(created.Client.Id, InstallerPlatform.Linux);
        var script = Path.Combine(Stack.Directory, fileName);
        await File.WriteAllBytesAsync(script, installer);
        var root = NewRoot();
        (await ShAsync(script, root)).EnsureSuccess();
        // Stand-ins that say which file the wrapper started, in place of the three native builds.
        var current = Path.Combine(root, "opt/urb-agent/current");
        File.Delete(Path.Combine(current, "Urb.Agent.dll"));
        WriteNamingScript(Path.Combine(current, "Urb.Agent"), "baseline");
        WriteNamingScript(Path.Combine(current, "Urb.Agent.x86-64-v3"), "x86-64-v3");
        WriteNamingScript(Path.Combine(current, "Urb.Agent.x86-64-v4"), "x86-64-v4");
        var wrapper = Path.Combine(root, "usr/local/bin/urb-agent");

        var chosen = await RunWrapperAsync(wrapper, buildSetting: null);
        var forced = await RunWrapperAsync(wrapper, buildSetting: "baseline");
        var misspelt = await RunWrapperAsync(wrapper, buildSetting: "avx2");
        File.Delete(Path.Combine(current, "Urb.Agent.x86-64-v4"));
        var withoutTheAvx512Build = await RunWrapperAsync(wrapper, buildSetting: null);
        File.Delete(Path.Combine(current, "Urb.Agent.x86-64-v3"));
        var withoutEither = await RunWrapperAsync(wrapper, buildSetting: null);

        var stateArguments = $"--state-dir {Path.Combine(root, "var/lib/urb-agent")} status";
        var best = CpuHas(X86_64_V4Flags) ? "x86-64-v4" : CpuHas(X86_64_V3Flags) ? "x86-64-v3" : "baseline";
        Assert.Equal($"{best} {stateArguments}", chosen.StandardOutput.Trim());
        Assert.Equal($"baseline {stateArguments}", forced.StandardOutput.Trim());
        Assert.Equal(2, misspelt.ExitCode);
        Assert.Contains("URB_AGENT_BUILD", misspelt.StandardError);
        Assert.Equal($"{(CpuHas(X86_64_V3Flags) ? "x86-64-v3" : "baseline")} {stateArguments}", withoutTheAvx512Build.StandardOutput.Trim());
        Assert.Equal($"baseline {stateArguments}", withoutEither.StandardOutput.Trim());
    }

    [Fact]
    public async Task WindowsInstaller_CarriesTheServerTheTokenAndTheAgent()
    {
        var created = await Stack.CreateClientAsync("windows-" + Guid.NewGuid().ToString("N")[..6]);

        var (fileName, installer) = await DownloadAsync(created.Client.Id, InstallerPlatform.Windows);

        var script = Encoding.UTF8.GetString(installer);
        Assert.EndsWith(".ps1", fileName);
        Assert.Contains($"$server = '{Stack.GatewayAddress.ToString().TrimEnd('/')}'", script);
        Assert.Matches("\\$token = 'urbE1\\.[^']+'", script);
        Assert.DoesNotContain("@URB_", script);
        var payload = System.Text.RegularExpressions.Regex.Match(script, "FromBase64String\\('([^']+)'\\)").Groups[1].Value;
        Assert.Equal(await File.ReadAllBytesAsync(Stack.AgentArchive), Convert.FromBase64String(payload));
    }

    [Fact]
    public async Task Bootstrap_MakesTheClientAndRunsItsInstaller_InOneCommand()
    {
        var tenant = await Stack.CreateTenantAsync("bootstrap-" + Guid.NewGuid().ToString("N")[..6]);
        var key = await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantAdmin);
        var bootstrap = Path.Combine(Stack.Directory, "urb-bootstrap.sh");
        var api = Stack.Ports[UrbStack.Api].GrpcAddress.ToString().TrimEnd('/');
        (await ChildProcess.RunAsync("curl", ["-sSf", "--http2-prior-knowledge", "-o", bootstrap, $"{api}/v1/bootstrap.sh"], new Dictionary<string, string?>(), InstallTimeout)).EnsureSuccess();
        var name = "machine-" + Guid.NewGuid().ToString("N")[..6];
        var root = NewRoot();

        var run = await ChildProcess.RunAsync("sh", [bootstrap], new Dictionary<string, string?>
        {
            ["URB_API"] = api, ["URB_API_KEY"] = key, ["URB_CLIENT_NAME"] = name, ["URB_INSTALL_ROOT"] = root,
        }, InstallTimeout);

        run.EnsureSuccess();
        var client = Assert.Single((await Stack.ApiClients.ListClientsAsync(new ListClientsRequest { TenantId = tenant }, Stack.AdminHeaders)).Clients);
        Assert.Equal(name, client.Name);
        Assert.NotNull(client.EnrolledAt);
        Assert.True(File.Exists(Path.Combine(root, "var/lib/urb-agent/agent.json")));
    }

    [Fact]
    public async Task Bootstrap_WithAReaderKey_IsRefusedAndMakesNothing()
    {
        var tenant = await Stack.CreateTenantAsync("bootstrap-ro-" + Guid.NewGuid().ToString("N")[..6]);
        var reader = await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantReader);
        var api = Stack.Ports[UrbStack.Api].GrpcAddress.ToString().TrimEnd('/');

        var run = await ChildProcess.RunAsync("curl", ["-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
            "-H", $"authorization: Bearer {reader}", $"{api}/v1/bootstrap/linux?client=nope"], new Dictionary<string, string?>(), InstallTimeout);

        Assert.Equal("403", run.StandardOutput.Trim());
        Assert.Empty((await Stack.ApiClients.ListClientsAsync(new ListClientsRequest { TenantId = tenant }, Stack.AdminHeaders)).Clients);
    }

    [Fact]
    public async Task Installer_OfAnotherTenantsClient_IsNotFound()
    {
        var tenant = await Stack.CreateTenantAsync("installer-other-" + Guid.NewGuid().ToString("N")[..6]);
        var foreignKey = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantAdmin));
        var victim = await Stack.CreateClientAsync("victim-" + Guid.NewGuid().ToString("N")[..6]);

        using var call = Stack.ApiClients.CreateInstaller(new CreateInstallerRequest { ClientId = victim.Client.Id, Platform = InstallerPlatform.Linux }, foreignKey);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private async Task<(string FileName, byte[] Content)> DownloadAsync(string clientId, InstallerPlatform platform)
    {
        using var call = Stack.ApiClients.CreateInstaller(new CreateInstallerRequest { ClientId = clientId, Platform = platform }, Stack.AdminHeaders);
        var content = new MemoryStream();
        var fileName = "";
        await foreach (var part in call.ResponseStream.ReadAllAsync())
        {
            if (part.FileName.Length > 0) fileName = part.FileName;
            part.Data.WriteTo(content);
        }
        return (fileName, content.ToArray());
    }

    private static void WriteNamingScript(string path, string name)
    {
        File.WriteAllText(path, $"#!/bin/sh\necho {name} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static Task<ProgramRun> RunWrapperAsync(string wrapper, string? buildSetting) =>
        ChildProcess.RunAsync(wrapper, ["status"], new Dictionary<string, string?> { ["URB_AGENT_BUILD"] = buildSetting }, InstallTimeout);

    /// <summary>The build the wrapper should start from an installed folder on this machine.</summary>
    private static string ExpectedBuild(string installed)
    {
        if (File.Exists(Path.Combine(installed, "Urb.Agent.dll"))) return "runtime";
        if (File.Exists(Path.Combine(installed, "Urb.Agent.x86-64-v4")) && CpuHas(X86_64_V4Flags)) return "x86-64-v4";
        if (File.Exists(Path.Combine(installed, "Urb.Agent.x86-64-v3")) && CpuHas(X86_64_V3Flags)) return "x86-64-v3";
        return "baseline";
    }

    private static bool CpuHas(string[] wanted)
    {
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("flags", StringComparison.Ordinal));
        var present = flags?.Split(':', 2)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? [];
        return wanted.All(present.Contains);
    }

    private string NewRoot() => Directory.CreateDirectory(Path.Combine(Stack.Directory, "root-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    private static Task<ProgramRun> ShAsync(string script, string root) =>
        ChildProcess.RunAsync("sh", [script], new Dictionary<string, string?> { ["URB_INSTALL_ROOT"] = root }, InstallTimeout);
}
