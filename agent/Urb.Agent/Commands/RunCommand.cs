using System.CommandLine;
using Urb.Agent.Control;
using Urb.Agent.State;

namespace Urb.Agent.Commands;

/// <summary>
/// <c>run</c>: the agent daemon. Keeps one control stream open to the gateway, so the server can
/// start backups on a machine it cannot dial; reconnects with backoff (1 s doubling up to
/// <c>--max-backoff</c>, with jitter). Stops on Ctrl+C or SIGTERM, and when the server refuses
/// the agent's credentials (exit code 4: enrol again).
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
        var command = new Command("run", "Run as a daemon: keep a control stream to the server open and carry out its commands") { maxBackoff };
        command.SetAction((result, cancellationToken) =>
            RunAsync(new StateDirectory(result.GetValue(stateDirectory)!), TimeSpan.FromSeconds(Math.Max(1, result.GetValue(maxBackoff))), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(StateDirectory state, TimeSpan maxBackoff, CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), maxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            var welcomed = false;
            var code = await EnrolledCall.RunAsync(state, async (connection, _) =>
            {
                var session = new ControlSession(state, connection, Log);
                try
                {
                    await session.RunAsync(cancellationToken);
                }
                finally
                {
                    welcomed = session.Welcomed;
                }
                return ExitCodes.Ok;
            });
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
