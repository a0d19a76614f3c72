using System.CommandLine;
using System.Text.Json;
using Grpc.Core;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Commands;

/// <summary><c>log [--follow] [--history N] [--level L] [--json]</c>: this client's own live log, as the server keeps it.</summary>
public static class LogCommand
{
    private const int MaxHistory = 1000;

    private static readonly Dictionary<string, AgentLogLevel> Levels = new(StringComparer.Ordinal)
    {
        ["debug"] = AgentLogLevel.Debug,
        ["info"] = AgentLogLevel.Info,
        ["warning"] = AgentLogLevel.Warning,
        ["error"] = AgentLogLevel.Error,
    };

    public static Command Create(Option<string> stateDirectory)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines as the server publishes them, until interrupted" };
        var history = new Option<int>("--history")
        {
            Description = $"How many of the newest lines to print first (0 to {MaxHistory})",
            DefaultValueFactory = _ => 100,
        };
        history.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > MaxHistory) r.AddError($"--history must be 0 to {MaxHistory}.");
        });
        var level = new Option<string>("--level") { Description = "The lowest level printed", DefaultValueFactory = _ => "info" };
        level.AcceptOnlyFromAmong([.. Levels.Keys]);
        var json = new Option<bool>("--json") { Description = "Print one JSON object a line for scripts" };
        var command = new Command("log", "Show this client's live log on the server (backups, restores, ...); needs the allow_view_log permission")
        {
            follow, history, level, json,
        };
        command.SetAction((result, cancellationToken) => EnrolledCall.RunAsync(
            new StateDirectory(result.GetValue(stateDirectory)!), async (connection, _) =>
            {
                var request = new FollowAgentLogRequest
                {
                    History = result.GetValue(history),
                    MinLevel = Levels[result.GetValue(level)!],
                    Follow = result.GetValue(follow),
                };
                using var call = new AgentLog.AgentLogClient(connection.Channel).Follow(request, cancellationToken: cancellationToken);
                try
                {
                    while (await call.ResponseStream.MoveNext(cancellationToken)) Print(call.ResponseStream.Current, result.GetValue(json));
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
                {
                    // Interrupted (Ctrl-C): the way a follow ends.
                }
                return ExitCodes.Ok;
            }));
        return command;
    }

    private static void Print(AgentLogLine line, bool json)
    {
        var level = line.Level.ToString().ToLowerInvariant();
        var time = line.Time.ToDateTimeOffset();
        Console.WriteLine(json
            ? JsonSerializer.Serialize(new LogLineJson(line.Id, time, level, line.Service, line.Message), CommandJson.Default.LogLineJson)
            : $"{time:u} {level} {line.Service}: {line.Message}");
    }
}
