using System.CommandLine;
using Urb.Agent.Control;
using Urb.Agent.State;
using Urb.Agent.Updates;

namespace Urb.Agent.Commands;

/// <summary>
/// <c>run</c>: the agent daemon. Keeps one control stream open to the gateway, so the server can
/// start backups on a machine it cannot dial; reconnects with backoff (1 s doubling up to
/// <c>--max-backoff</c>, with jitter). Asks for a newer release at the first connection and then
/// every <c>--update-interval</c> hours; once one is verified and installed, it exits with code 8
/// so that its service manager starts the new version (a process cannot swap its own code).
/// Stops on Ctrl+C or SIGTERM, and when the server refuses the agent's credentials (exit code 4:
/// enrol again).
/// </summary>
public static class RunCommand
{
    public static Command Create(Option<string> stateDirectory)
    {
        var maxBackoff = new Option<int>("--max-backoff")
        {
            Description = "Longest wait between reconnects, in seconds",
            DefaultValueFactory = _ => 60,
        };
        var updateInterval = new Option<double>("--update-interval")
        {
            Description = "Hours between checks for a newer agent release (the first at connecting); 0 turns updates off",
            DefaultValueFactory = _ => 6,
        };
        var command = new Command("run", "Run as a daemon: keep a control stream to the server open and carry out its commands") { maxBackoff, updateInterval };
        command.SetAction((result, cancellationToken) =>
        {
            var hours = result.GetValue(updateInterval);
            var updates = hours > 0 ? new UpdateSchedule(TimeSpan.FromHours(Math.Min(hours, 24 * 30))) : null;
            return RunAsync(new StateDirectory(result.GetValue(stateDirectory)!), TimeSpan.FromSeconds(Math.Max(1, result.GetValue(maxBackoff))), updates, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(StateDirectory state, TimeSpan maxBackoff, UpdateSchedule? updates, CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), maxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            var welcomed = false;
            InstalledRelease? installed = null;
            var code = await EnrolledCall.RunAsync(state, async (connection, _) =>
            {
                using var session = new ControlSession(state, connection, Log, updates);
                try
                {
                    await session.RunAsync(cancellationToken);
                }
                finally
                {
                    welcomed = session.Welcomed;
                    installed = session.Installed;
                }
                return ExitCodes.Ok;
            });
            if (installed is not null)
            {
                Log($"stopped to start agent {installed.To} (exit code {ExitCodes.UpdateInstalled})");
                return ExitCodes.UpdateInstalled;
            }
            if (cancellationToken.IsCancellationRequested) break;
            if (code is ExitCodes.Refused or ExitCodes.NotEnrolled) return code;
            if (welcomed) backoff.Reset();
            var wait = backoff.Next();
            Log($"reconnecting in {wait.TotalSeconds:0.0} s");
            try
            {
                await Task.Delay(wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        Log("stopped");
        return ExitCodes.Ok;
    }

    private static void Log(string message) => Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {message}");
}
