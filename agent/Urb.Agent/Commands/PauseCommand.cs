using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Errors;
using Urb.Domain.Scheduling;

namespace Urb.Agent.Commands;

/// <summary>
/// <c>pause [--for DURATION]</c> and <c>resume</c>: the server holds this client's backups, running
/// and new ones, until the pause ends (it needs the client's allow_pause).
/// </summary>
public static class PauseCommand
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Command CreatePause(Option<string> stateDirectory)
    {
        var duration = new Option<string>("--for")
        {
            Description = "How long: 45s, 30m, 2h (at most 24h; 0 resumes)",
            DefaultValueFactory = _ => "1h",
        };
        var command = new Command("pause", "Pause this client's backups (running and new ones wait) for a while") { duration };
        command.SetAction(async (result, cancellationToken) =>
        {
            TimeSpan length;
            try
            {
                length = BackupPause.Parse(result.GetValue(duration)!, "--for");
            }
            catch (InvalidInputException e)
            {
                await Console.Error.WriteLineAsync($"urb-agent: --for: {e.Message}");
                return ExitCodes.Usage;
            }
            return await EnrolledCall.RunAsync(new StateDirectory(result.GetValue(stateDirectory)!), async (connection, _) =>
            {
                var state = await new AgentPause.AgentPauseClient(connection.Channel).PauseAsync(
                    new PauseRequest { Duration = Duration.FromTimeSpan(length) },
                    deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
                Console.WriteLine(Describe(state));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    public static Command CreateResume(Option<string> stateDirectory)
    {
        var command = new Command("resume", "End a pause of this client's backups now");
        command.SetAction((result, cancellationToken) =>
            EnrolledCall.RunAsync(new StateDirectory(result.GetValue(stateDirectory)!), async (connection, _) =>
            {
                var state = await new AgentPause.AgentPauseClient(connection.Channel).ResumeAsync(
                    new ResumeRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
                Console.WriteLine(Describe(state));
                return ExitCodes.Ok;
            }));
        return command;
    }

    /// <summary>One line for a pause state, as <c>pause</c>, <c>resume</c> and <c>status</c> print it.</summary>
    public static string Describe(PauseState state) => state.PausedUntil is { } until
        ? $"Backups paused until {until.ToDateTimeOffset():u}."
        : "Backups are not paused.";
}
