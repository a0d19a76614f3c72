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
        StateDirectory state, Func<GatewayConnection, EnrolledIdentity, Task<int>> action, bool forceRenewal = false)
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
            if (forceRenewal || CertificateRenewal.IsDue(identity.Certificate, DateTime.UtcNow))
            {
                await RenewOrWarnAsync(state, identity, server, trust, required: forceRenewal);
                identity.Dispose();
                identity = state.Load();
            }
            using var connection = GatewayConnection.Open(server, trust, identity.Certificate);
            return await action(connection, identity);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return CommandFailure.Report(e, trust, server);
        }
        finally
        {
            identity.Dispose();
        }
    }

    /// <summary>
    /// Renews the certificate. A renewal that is only due (not asked for) and fails is a warning:
    /// the current certificate still works, and the next command tries again.
    /// </summary>
    private static async Task RenewOrWarnAsync(StateDirectory state, EnrolledIdentity identity, Uri server, GatewayTrust trust, bool required)
    {
        try
        {
            using var connection = GatewayConnection.Open(server, trust, identity.Certificate);
            var expires = await CertificateRenewal.RenewAsync(state, identity, connection, CancellationToken.None);
            await Console.Error.WriteLineAsync($"urb-agent: certificate renewed; valid until {expires:u}.");
        }
        catch (Exception e) when (!required && e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(
                $"urb-agent: warning: could not renew this agent's certificate (valid until {identity.Certificate.NotAfter.ToUniversalTime():u}): {e.Message}");
        }
    }
}
