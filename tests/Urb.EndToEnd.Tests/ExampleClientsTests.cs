using System.Reflection;
using System.Text.Json;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The example portal clients in examples/python and examples/node call Urb.Api with nothing but
/// the .proto files: list clients, start a backup on a connected agent, follow the live log.
/// './urb test' installs what they need (python3-grpcio; the node packages of examples/node).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ExampleClientsTests(StackFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private UrbStack Stack => fixture.Stack;

    public static TheoryData<string> Languages => ["python", "node"];

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task ListsClients_StartsABackup_AndFollowsTheLiveLog(string language)
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await AgentDaemons.ConfigureAsync(Stack, agent.ClientId, AgentDaemons.NewSource(Stack, "example-" + language));
        await using var daemon = AgentDaemons.Start(agent);
        await AgentDaemons.WaitUntilAsync(() => AgentDaemons.ConnectedAsync(Stack, agent.ClientId), daemon, "the daemon connects");

        var clients = await RunAsync(language, Stack.AdminKey, "clients");
        Assert.Contains(clients, c => Field(c, "id") == agent.ClientId && Field(c, "connected") == "True");

        var started = Assert.Single(await RunAsync(language, Stack.AdminKey, "backup", agent.ClientId));
        Assert.NotEmpty(Field(started, "commandId"));
        await AgentDaemons.WaitUntilAsync(async () => await SnapshotCountAsync(agent.ClientId) == 1, daemon, "the backup the example started completes");

        var events = await RunAsync(language, Stack.AdminKey, "follow", "--client", agent.ClientId, "--history", "100", "--timeout", "3");
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(agent.ClientId, Field(e, "clientId")));
        Assert.Contains(events, e => Field(e, "service") == "Urb.Ingest" && Field(e, "message").Contains("backup", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task UnknownKey_IsRefusedWithTheGrpcStatus_AndExitCode1(string language)
    {
        var run = await RunProgramAsync(language, "urbk1.unknown.key", "clients");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("UNAUTHENTICATED", run.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(run.StandardOutput.Trim());
    }

    /// <summary>A field of the printed JSON as text; "" when absent (both examples leave out default values).</summary>
    private static string Field(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) ? value.ToString() : "";

    private async Task<int> SnapshotCountAsync(string clientId) =>
        (await Stack.ApiSnapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientId }, Stack.AdminHeaders)).Snapshots.Count;

    /// <summary>Runs the example and parses its output: one JSON object per line.</summary>
    private async Task<List<JsonElement>> RunAsync(string language, string key, params string[] command)
    {
        var run = await RunProgramAsync(language, key, command);
        Assert.True(run.ExitCode == 0, $"the {language} example failed ({run.ExitCode}):\n{run.StandardError}");
        return [.. run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
    }

    private Task<ProgramRun> RunProgramAsync(string language, string key, params string[] command)
    {
        var examples = Path.Combine(RepositoryPaths.Root, "examples");
        string[] connection = ["--address", $"127.0.0.1:{Stack.Ports[UrbStack.Api].Grpc}", "-I", ProtoIncludes.WellKnownTypes, "-I", ProtoIncludes.GoogleApi];
        var environment = new Dictionary<string, string?> { ["URB_API_KEY"] = key };
        return language switch
        {
            "python" => ChildProcess.RunAsync("/usr/bin/python3",
                [Path.Combine(examples, "python", "urb_portal.py"), "--protoc", ProtoIncludes.Protoc, .. connection, .. command], environment, RunTimeout),
            "node" => ChildProcess.RunAsync("node", [Path.Combine(examples, "node", "urb_portal.js"), .. connection, .. command], environment, RunTimeout),
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, "no example in that language"),
        };
    }

    /// <summary>protoc and the imported .proto files, from the NuGet packages the build restored.</summary>
    private static class ProtoIncludes
    {
        private static readonly string GrpcTools = Metadata("GrpcToolsPath");

        public static string Protoc => Path.Combine(GrpcTools, "tools", "linux_x64", "protoc");

        public static string WellKnownTypes => Path.Combine(GrpcTools, "build", "native", "include");

        public static string GoogleApi { get; } = Metadata("GoogleApiProtosPath");

        private static string Metadata(string key) =>
            typeof(ProtoIncludes).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"the test assembly lacks its {key} metadata");
    }
}
