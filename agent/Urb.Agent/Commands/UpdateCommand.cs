using System.CommandLine;
using Urb.Agent.State;
using Urb.Agent.Updates;

namespace Urb.Agent.Commands;

/// <summary>
/// <c>update</c>: installs the newest release the server offers, once it has proven its signature
/// and hash, beside the running version, and switches <c>current</c> to it. The next start of the
/// agent runs it. Exit code 7 when the release is refused.
/// </summary>
public static class UpdateCommand
{
    public static Command Create(Option<string> stateDirectory)
    {
        var command = new Command("update", "Install a newer agent release from the server, if there is one (verified against the release key built into this agent)");
        command.SetAction((result, cancellationToken) =>
            EnrolledCall.RunAsync(new StateDirectory(result.GetValue(stateDirectory)!), async (connection, _) =>
            {
                var installed = await AgentUpdater.ForRunningAgent(connection).RunAsync(cancellationToken);
                Console.WriteLine(installed is null
                    ? $"The agent is up to date ({AgentVersion.Current})."
                    : $"Updated the agent from {installed.From} to {installed.To} ({installed.Directory}); it runs from its next start.");
                return ExitCodes.Ok;
            }));
        return command;
    }
}
