using System.CommandLine;
using System.Text.Json;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshot.V1;

namespace Urb.Agent.Commands;

/// <summary><c>ls --backup ID|latest [PATH] [--recursive] [--json]</c>: entries of a snapshot.</summary>
public static class LsCommand
{
    public static Command Create(Option<string> stateDirectory)
    {
        var backup = new Option<string>("--backup") { Description = "A backup ID or \"latest\"", Required = true };
        var path = new Argument<string>("PATH") { Description = "A path inside the backup (its top level holds one entry per backed-up path)", DefaultValueFactory = _ => "" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Everything below PATH" };
        var json = new Option<bool>("--json") { Description = "Print JSON lines for scripts" };
        var command = new Command("ls", "List the entries of a backup") { backup, path, recursive, json };
        command.SetAction((result, cancellationToken) => EnrolledCall.RunAsync(
            new StateDirectory(result.GetValue(stateDirectory)!), async (connection, _) =>
            {
                var request = new ListEntriesRequest { Backup = result.GetValue(backup)!, Path = result.GetValue(path)!.Trim('/'), Recursive = result.GetValue(recursive) };
                using var call = new Backups.BackupsClient(connection.Channel).ListEntries(request, cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    foreach (var entry in call.ResponseStream.Current.Entries) Print(entry, result.GetValue(json));
                }
                return ExitCodes.Ok;
            }));
        return command;
    }

    private static void Print(Entry entry, bool json)
    {
        var node = entry.Node;
        var modified = DateTimeOffset.FromUnixTimeMilliseconds(node.ModifiedNs / 1_000_000);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new EntryJson(
                Path: entry.Path,
                Type: node.Type switch { NodeType.Directory => "dir", NodeType.Symlink => "symlink", _ => "file" },
                Size: node.Size,
                Mode: Convert.ToString(node.Permissions, 8),
                Uid: node.UserId,
                Gid: node.GroupId,
                Mtime: modified,
                LinkTarget: node.Type == NodeType.Symlink ? node.LinkTarget : null), CommandJson.Default.EntryJson));
            return;
        }
        var kind = node.Type switch { NodeType.Directory => 'd', NodeType.Symlink => 'l', _ => '-' };
        var name = entry.Path + (node.Type == NodeType.Directory ? "/" : "") + (node.Type == NodeType.Symlink ? $" -> {node.LinkTarget}" : "");
        Console.WriteLine($"{kind}{Convert.ToString(node.Permissions, 8),4}  {node.UserId,5} {node.GroupId,5}  {node.Size,12:N0}  {modified:yyyy-MM-dd HH:mm}  {name}");
    }
}
