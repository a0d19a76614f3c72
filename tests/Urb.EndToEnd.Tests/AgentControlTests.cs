using Grpc.Core;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Settings.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The agent daemon's control stream with two gateway replicas: a backup started through the API
/// reaches the agent through whichever replica holds its stream (routing through Redis), settings
/// changes are pushed, the daemon reconnects after its replica died, and a revoked agent's stream
/// is closed.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AgentControlTests(StackFixture fixture)
{
    private static readonly TimeSpan Patience = AgentDaemons.Patience;

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task BackupStartedThroughTheApi_ReachesTheDaemonOnTheOtherReplica_AndIgnoresTheClientsOwnPermissions()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = NewSource("controlled");
        await ConfigureAsync(agent.ClientId, source, ("allow_start_full_file_backup", "false"));
        var (replica, ports) = await StartSecondGatewayAsync();
        await using var _ = replica;
        await using var daemon = StartDaemon(agent.ThroughGateway(ports.AgentAddress));
        await WaitUntilAsync(() => ConnectedAsync(agent.ClientId), daemon, "the daemon connects");

        var started = await Stack.ApiClients.StartBackupAsync(new StartBackupRequest { ClientId = agent.ClientId, Full = true }, Stack.AdminHeaders);

        Assert.NotEmpty(started.CommandId);
        await WaitUntilAsync(async () => (await SnapshotsAsync(agent.ClientId)).Count == 1, daemon, "the server-started backup completes");
        var snapshot = (await SnapshotsAsync(agent.ClientId))[0];
        Assert.Equal(Contracts.Agent.V1.BackupKind.Full, snapshot.Kind);
        Assert.Equal([source], snapshot.Paths);
        Assert.Contains(started.CommandId, daemon.Output);

        // The client itself may not start a full backup: the permission binds the agent, not the server.
        var own = await agent.RunAsync("backup", "--full");
        Assert.Equal(4, own.ExitCode);
    }

    [Fact]
    public async Task SettingsChange_IsPushedToTheConnectedDaemon()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await using var daemon = StartDaemon(agent);
        await WaitUntilAsync(() => ConnectedAsync(agent.ClientId), daemon, "the daemon connects");

        await ConfigureAsync(agent.ClientId, "/srv/pushed");

        await WaitUntilAsync(() => Task.FromResult(daemon.Output.Contains("settings refreshed: paths /srv/pushed")), daemon, "the settings reach the daemon");
    }

    [Fact]
    public async Task ReplicaDies_CommandsAreRefusedUntilTheDaemonHasReconnected()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await ConfigureAsync(agent.ClientId, NewSource("reconnect"));
        var (replica, ports) = await StartSecondGatewayAsync();
        await using var daemon = StartDaemon(agent.ThroughGateway(ports.AgentAddress));
        // The gateway routes to the stream before the daemon has its welcome: wait for both, or the
        // replica may die before the daemon counted its first connection.
        await WaitUntilAsync(async () => await ConnectedAsync(agent.ClientId) && daemon.Output.Contains("connected to"), daemon, "the daemon connects");

        await replica.DisposeAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            Stack.ApiClients.StartBackupAsync(new StartBackupRequest { ClientId = agent.ClientId }, Stack.AdminHeaders).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);

        await using var restarted = await Stack.StartServiceAsync(UrbStack.Gateway, ports, SecondGatewaySettings);
        await WaitUntilAsync(async () => daemon.Output.Split('\n').Count(l => l.Contains("connected to")) >= 2
            && await ConnectedAsync(agent.ClientId), daemon, "the daemon reconnects");
        await Stack.ApiClients.StartBackupAsync(new StartBackupRequest { ClientId = agent.ClientId }, Stack.AdminHeaders);
        await WaitUntilAsync(async () => (await SnapshotsAsync(agent.ClientId)).Count == 1, daemon, "the backup after the reconnect completes");
    }

    [Fact]
    public async Task Revoke_ClosesTheControlStream_AndTheDaemonStops()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await using var daemon = StartDaemon(agent);
        await WaitUntilAsync(() => ConnectedAsync(agent.ClientId), daemon, "the daemon connects");

        await Stack.ApiClients.RevokeAgentCredentialsAsync(new RevokeAgentCredentialsRequest { ClientId = agent.ClientId }, Stack.AdminHeaders);

        Assert.Equal(4, await daemon.WaitForExitAsync(Patience));
        Assert.Contains("cut off", daemon.Output);
        Assert.False(await ConnectedAsync(agent.ClientId));
    }

    private static readonly Dictionary<string, string?> SecondGatewaySettings = new() { ["Gateway__ControlHeartbeat"] = "00:00:02" };

    private async Task<(ChildProcess Process, ServicePorts Ports)> StartSecondGatewayAsync()
    {
        var ports = ServicePorts.Allocate();
        return (await Stack.StartServiceAsync(UrbStack.Gateway, ports, SecondGatewaySettings), ports);
    }

    private static ChildProcess StartDaemon(BackupAgent agent) => AgentDaemons.Start(agent);

    private Task<bool> ConnectedAsync(string clientId) => AgentDaemons.ConnectedAsync(Stack, clientId);

    private async Task<IReadOnlyList<Contracts.Agent.V1.Snapshot>> SnapshotsAsync(string clientId) =>
        (await Stack.ApiSnapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientId }, Stack.AdminHeaders)).Snapshots;

    private Task ConfigureAsync(string clientId, string path, params (string Key, string Text)[] values) =>
        AgentDaemons.ConfigureAsync(Stack, clientId, path, values);

    private string NewSource(string name) => AgentDaemons.NewSource(Stack, name);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, ChildProcess daemon, string what) =>
        AgentDaemons.WaitUntilAsync(condition, daemon, what);
}
