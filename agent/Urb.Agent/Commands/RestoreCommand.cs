using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Urb.Agent.Memory;
using Urb.Agent.Restore;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Commands;

/// <summary><c>restore --backup ID|latest [--path SUBTREE] --to DIR [--json]</c>: writes a backup (or part of it) into a directory.</summary>
public static class RestoreCommand
{
    public static Command Create(Option<string> stateDirectory)
    {
        var backup = new Option<string>("--backup") { Description = "A backup ID or \"latest\"", Required = true };
        var path = new Option<string>("--path")
        {
            Description = "What to restore: a path inside the backup (default all of it); a directory's contents land directly in --to",
            DefaultValueFactory = _ => "",
        };
        var to = new Option<string>("--to") { Description = "The directory to restore into (created if missing)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON for scripts (no progress line)" };
        var command = new Command("restore", "Restore files from a backup; nothing is ever written outside --to") { backup, path, to, json };
        command.SetAction((result, cancellationToken) =>
        {
            var state = new StateDirectory(result.GetValue(stateDirectory)!);
            return EnrolledCall.RunAsync(state, (connection, _) => RunAsync(
                connection.Channel,
                state.Path,
                new RestoreRequest { Backup = result.GetValue(backup)!, Path = result.GetValue(path)!.Trim('/'), AsChunks = true },
                result.GetValue(to)!,
                result.GetValue(json),
                cancellationToken));
        });
        return command;
    }

    /// <param name="stateDirectory">The agent's state directory: where chunks kept for later files spill (<see cref="KeptChunks"/>).</param>
    private static async Task<int> RunAsync(
        Grpc.Core.ChannelBase channel, string stateDirectory, RestoreRequest request, string target, bool json, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long received = 0;
        string current = "";
        string backupId = "";
        RestoreSummary summary;
        // A restore allocates a message for every MiB that arrives: paced, that garbage stays small.
        using var pacer = GarbagePacer.Start(trimNativeHeap: false);
        using (var writer = new RestoreWriter(target))
        {
            await using (new ProgressLine(() => $"{ProgressLine.Bytes(received)}  {ProgressLine.Bytes(received / Math.Max(clock.Elapsed.TotalSeconds, 0.001))}/s  {current}", enabled: !json))
            {
                using var call = RestoreCall.Start(channel, request, cancellationToken);
                var expectsContent = false;
                await foreach (var item in RestoreResponses.ReadAsync(call.ResponseStream, stateDirectory, cancellationToken))
                {
                    if (item.Entry is { } entry)
                    {
                        if (entry.BackupId.Length > 0) backupId = entry.BackupId;
                        current = entry.Path;
                        // The snapshot's own root has no name and no metadata: it is the target as it is.
                        expectsContent = !(entry.Path.Length == 0 && entry.Node.Name.Length == 0) && writer.BeginEntry(entry.Path, entry.Node);
                    }
                    else if (expectsContent)
                    {
                        // Content of a file written as a hard link is not needed: skipped.
                        writer.Write(item.Content.Span);
                        received += item.Content.Length;
                    }
                }
            }
            summary = writer.Complete();
        }
        Print(summary, backupId, target, clock.Elapsed, json);
        return summary.CompletedWithWarnings ? ExitCodes.CompletedWithWarnings : ExitCodes.Ok;
    }

    private static void Print(RestoreSummary summary, string backupId, string target, TimeSpan duration, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new RestoreSummaryJson(
                BackupId: backupId,
                Target: Path.GetFullPath(target),
                Files: summary.Files,
                Directories: summary.Directories,
                Symlinks: summary.Symlinks,
                HardLinks: summary.HardLinks,
                Bytes: summary.Bytes,
                DurationSeconds: Math.Round(duration.TotalSeconds, 3),
                Warnings: [.. summary.Warnings.Select(w => new PathMessageJson(w.Path, w.Reason))]), CommandJson.Default.RestoreSummaryJson));
            return;
        }
        Console.WriteLine($"Restored backup {backupId} into {Path.GetFullPath(target)} in {duration.TotalSeconds:0.0} s");
        Console.WriteLine($"{summary.Files:N0} files ({ProgressLine.Bytes(summary.Bytes)}), {summary.Directories:N0} directories, {summary.Symlinks:N0} symlinks, {summary.HardLinks:N0} hard links");
        foreach (var warning in summary.Warnings.Take(50)) Console.Error.WriteLine($"urb-agent: warning: {warning.Path}: {warning.Reason}");
    }
}
