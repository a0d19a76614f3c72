using System.CommandLine;
using System.Text.Json;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;

namespace Urb.Agent.Commands;

/// <summary><c>backups [--json]</c>: this client's snapshots, newest first.</summary>
public static class BackupsCommand
{
    public static Command Create(Option<string> stateDirectory)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("backups", "List this client's completed backups, newest first") { json };
        command.SetAction((result, cancellationToken) => EnrolledCall.RunAsync(
            new StateDirectory(result.GetValue(stateDirectory)!), async (connection, _) =>
            {
                var answer = await new Backups.BackupsClient(connection.Channel).ListSnapshotsAsync(new ListSnapshotsRequest(), cancellationToken: cancellationToken);
                if (result.GetValue(json))
                {
                    IReadOnlyList<BackupListingJson> listing = [.. answer.Snapshots.Select(s => new BackupListingJson(
                        BackupId: s.BackupId,
                        Kind: s.Kind.DisplayName(),
                        StartedAt: s.StartedAt.ToDateTimeOffset(),
                        FinishedAt: s.FinishedAt?.ToDateTimeOffset(),
                        Paths: [.. s.Paths],
                        Files: s.Stats.FilesNew + s.Stats.FilesChanged + s.Stats.FilesUnchanged,
                        TotalBytes: s.Stats.TotalBytes,
                        BytesSent: s.Stats.BytesSent,
                        Warnings: s.Warnings))];
                    Console.WriteLine(JsonSerializer.Serialize(listing, CommandJson.Default.IReadOnlyListBackupListingJson));
                    return ExitCodes.Ok;
                }
                Console.WriteLine($"{"BACKUP",-36}  {"KIND",-17}  {"FINISHED (UTC)",-19}  {"FILES",9}  {"SIZE",10}  {"SENT",10}  PATHS");
                foreach (var s in answer.Snapshots)
                {
                    var files = s.Stats.FilesNew + s.Stats.FilesChanged + s.Stats.FilesUnchanged;
                    Console.WriteLine($"{s.BackupId,-36}  {s.Kind.DisplayName(),-17}  " +
                        $"{s.FinishedAt?.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}  {files,9:N0}  {ProgressLine.Bytes(s.Stats.TotalBytes),10}  " +
                        $"{ProgressLine.Bytes(s.Stats.BytesSent),10}  {string.Join(", ", s.Paths)}{(s.Warnings > 0 ? $"  ({s.Warnings} warnings)" : "")}");
                }
                return ExitCodes.Ok;
            }));
        return command;
    }
}
