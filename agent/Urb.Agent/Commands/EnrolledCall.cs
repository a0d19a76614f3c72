using Urb.Agent.Connection;
using Urb.Agent.State;

namespace Urb.Agent.Commands;

/// <summary>
/// What every command of an enrolled agent does around its calls: load the identity, refuse an
/// expired certificate with a reason, open the pinned mutual-TLS connection, and turn failures
/// into one line and an exit code.
/// </summary>
public static class EnrolledCall
{
    public static async Task<int> RunAsync(
        StateDirectory state, Func<GatewayConnection, EnrolledIdentity, Task<int>> action)
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
        var server = new Uri(identity.State.Server);
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
            return await action(connection, identity);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return CommandFailure.Report(e, trust, server);
        }
    }
}
