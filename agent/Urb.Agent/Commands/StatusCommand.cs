using System.CommandLine;
using System.Text.Json;
using Grpc.Core;
using Urb.Agent.Connection;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Commands;

/// <summary><c>status [--json]</c>: who this agent is, as the server sees it now, and whether its backups are paused.</summary>
public static class StatusCommand
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Command Create(Option<string> stateDirectory)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("status", "Show the server, tenant and client this agent is enrolled as, fetched live") { json };
        command.SetAction((result, cancellationToken) =>
            RunAsync(new StateDirectory(result.GetValue(stateDirectory)!), result.GetValue(json), cancellationToken));
        return command;
    }

    private static Task<int> RunAsync(StateDirectory state, bool json, CancellationToken cancellationToken) =>
        EnrolledCall.RunAsync(state, async (connection, identity) =>
        {
            var status = await new AgentSession.AgentSessionClient(connection.Channel).GetStatusAsync(
                new GetStatusRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
            var pause = await GetPauseAsync(connection, cancellationToken);
            Print(identity.State.Server, status, pause, json);
            return ExitCodes.Ok;
        });

    /// <summary>Null from a server older than the agent, which knows no pausing.</summary>
    private static async Task<PauseState?> GetPauseAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await new AgentPause.AgentPauseClient(connection.Channel).GetPauseAsync(
                new GetPauseRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return null;
        }
    }

    private static void Print(string server, GetStatusResponse status, PauseState? pause, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new StatusJson(
                server,
                Tenant: new IdNameJson(status.TenantId, status.TenantName),
                Client: new IdNameJson(status.ClientId, status.ClientName),
                ServerVersion: status.ServerVersion,
                CertificateExpiresAt: status.CertificateExpiresAt.ToDateTimeOffset(),
                PausedUntil: pause?.PausedUntil?.ToDateTimeOffset(),
                AgentVersion: Updates.AgentVersion.Text,
                AgentBuild: Updates.AgentVersion.Build), CommandJson.Default.StatusJson));
            return;
        }
        Console.WriteLine($"Server:      {server} (Urb {status.ServerVersion})");
        Console.WriteLine($"Tenant:      {status.TenantName} ({status.TenantId})");
        Console.WriteLine($"Client:      {status.ClientName} ({status.ClientId})");
        Console.WriteLine($"Certificate: valid until {status.CertificateExpiresAt.ToDateTimeOffset():u}");
        if (pause is not null) Console.WriteLine($"Backups:     {(pause.PausedUntil is { } until ? $"paused until {until.ToDateTimeOffset():u}" : "not paused")}");
        Console.WriteLine($"Agent:       {Updates.AgentVersion.Text} ({Updates.AgentVersion.Build} build)");
    }
}
