using System.CommandLine;
using System.Text.Json;
using Urb.Agent.Connection;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Commands;

/// <summary><c>status [--json]</c>: who this agent is, as the server sees it now.</summary>
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

    private static async Task<int> RunAsync(StateDirectory state, bool json, CancellationToken cancellationToken)
    {
        if (!state.IsEnrolled)
        {
            await Console.Error.WriteLineAsync($"urb-agent: not enrolled ({state.Path} has no identity); run 'enroll --server URL --token TOKEN' first.");
            return ExitCodes.NotEnrolled;
        }
        EnrolledIdentity identity;
        try
        {
            identity = state.Load();
        }
        catch (InvalidDataException e)
        {
            await Console.Error.WriteLineAsync($"urb-agent: {e.Message}");
            return ExitCodes.Failed;
        }
        using var _ = identity;
        var local = identity.State;
        var server = new Uri(local.Server);
        if (identity.Certificate.NotAfter.ToUniversalTime() <= DateTime.UtcNow)
        {
            // The gateway's TLS handshake would refuse it without a word; say why here.
            await Console.Error.WriteLineAsync($"urb-agent: this agent's certificate expired at {identity.Certificate.NotAfter.ToUniversalTime():u}; enrol again with a new token (--force).");
            return ExitCodes.Refused;
        }
        var trust = new GatewayTrust(identity.Ca);
        try
        {
            using var connection = GatewayConnection.Open(server, trust, identity.Certificate);
            var status = await new AgentSession.AgentSessionClient(connection.Channel).GetStatusAsync(
                new GetStatusRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
            Print(local.Server, status, json);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return CommandFailure.Report(e, trust, server);
        }
    }

    private static void Print(string server, GetStatusResponse status, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                server,
                tenant = new { id = status.TenantId, name = status.TenantName },
                client = new { id = status.ClientId, name = status.ClientName },
                serverVersion = status.ServerVersion,
                certificateExpiresAt = status.CertificateExpiresAt.ToDateTimeOffset(),
            }));
            return;
        }
        Console.WriteLine($"Server:      {server} (Urb {status.ServerVersion})");
        Console.WriteLine($"Tenant:      {status.TenantName} ({status.TenantId})");
        Console.WriteLine($"Client:      {status.ClientName} ({status.ClientId})");
        Console.WriteLine($"Certificate: valid until {status.CertificateExpiresAt.ToDateTimeOffset():u}");
    }
}
