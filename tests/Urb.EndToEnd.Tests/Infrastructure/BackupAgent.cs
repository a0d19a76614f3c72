using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Net.Client;
using Urb.Contracts.Agent.V1;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>An enrolled agent of a test stack: its command line, and a raw gRPC channel with its certificate for hostile calls.</summary>
public sealed class BackupAgent(UrbStack stack, string stateDirectory, string clientId, string tenantId)
{
    public const int CompletedWithWarnings = 6;

    public string StateDirectory { get; } = stateDirectory;

    public string ClientId { get; } = clientId;

    public string TenantId { get; } = tenantId;

    public static async Task<BackupAgent> EnrollAsync(UrbStack stack, string? tenantId = null)
    {
        var created = await stack.CreateClientAsync("agent-" + Guid.NewGuid().ToString("N")[..8], tenantId: tenantId);
        var state = stack.NewAgentStateDirectory();
        (await stack.AgentAsync(state, "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token)).EnsureSuccess();
        return new BackupAgent(stack, state, created.Client.Id, created.Client.TenantId);
    }

    public Task<ProgramRun> RunAsync(params string[] arguments) => stack.AgentAsync(StateDirectory, arguments);

    /// <summary>The same agent (a copy of its state directory) talking to another gateway of the stack.</summary>
    public BackupAgent ThroughGateway(Uri gateway)
    {
        var copy = stack.NewAgentStateDirectory();
        foreach (var directory in Directory.EnumerateDirectories(StateDirectory, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(copy, Path.GetRelativePath(StateDirectory, directory)));
        }
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(StateDirectory, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(copy, Path.GetRelativePath(StateDirectory, file)));
        }
        var stateFile = Path.Combine(copy, "agent.json");
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(stateFile))!;
        state["Server"] = gateway.ToString().TrimEnd('/');
        File.WriteAllText(stateFile, state.ToJsonString());
        return new BackupAgent(stack, copy, ClientId, TenantId);
    }

    /// <summary>Backs the paths up and returns the JSON summary; fails on any exit code but 0 and 6 (completed with warnings).</summary>
    public Task<JsonElement> BackupAsync(IEnumerable<string> paths, bool full = false) =>
        SummaryOfBackupAsync(paths.SelectMany(p => new[] { "--path", p }), full);

    /// <summary>An image backup of the volumes (block devices or files), its JSON summary; fails as <see cref="BackupAsync"/>.</summary>
    public Task<JsonElement> ImageBackupAsync(IEnumerable<string> volumes, bool full = false) =>
        SummaryOfBackupAsync(volumes.SelectMany(v => new[] { "--volume", v }).Prepend("--image"), full);

    private async Task<JsonElement> SummaryOfBackupAsync(IEnumerable<string> selection, bool full)
    {
        List<string> arguments = ["backup", "--json"];
        if (full) arguments.Add("--full");
        arguments.AddRange(selection);
        var run = await RunAsync([.. arguments]);
        if (run.ExitCode is not (0 or CompletedWithWarnings))
        {
            throw new InvalidOperationException($"backup exited {run.ExitCode}:\n{run.StandardError}\n{run.StandardOutput}");
        }
        return JsonDocument.Parse(run.StandardOutput).RootElement.Clone();
    }

    public async Task<ProgramRun> RestoreAsync(string backup, string path, string target) =>
        await RunAsync("restore", "--backup", backup, "--path", path, "--to", target, "--json");

    /// <summary>The backup service through a channel with this agent's certificate (to another gateway when given), for calls the command line would never make.</summary>
    public Backups.BackupsClient RawClient(Uri? gateway = null) => new(RawChannel(gateway: gateway));

    /// <summary>The agent's identity folder, as its agent.json names it.</summary>
    public string IdentityDirectory
    {
        get
        {
            using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDirectory, "agent.json")));
            return Path.Combine(StateDirectory, state.RootElement.GetProperty("IdentityFolder").GetString()!);
        }
    }

    public string CertificatePath => Path.Combine(IdentityDirectory, "agent.crt");

    /// <summary>A channel to the gateway with this agent's client certificate (or <paramref name="certificate"/> instead), trusting only the agent's CA.</summary>
    public GrpcChannel RawChannel(X509Certificate2? certificate = null, Uri? gateway = null)
    {
        var identity = IdentityDirectory;
        certificate ??= X509Certificate2.CreateFromPemFile(Path.Combine(identity, "agent.crt"), Path.Combine(identity, "agent.key"));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [certificate];
        handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(identity, "ca.crt")));
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => CaTrust.ChainsTo(presented, ca);
        return GrpcChannel.ForAddress(gateway ?? stack.GatewayAddress, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
