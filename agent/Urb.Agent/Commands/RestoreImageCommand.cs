using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Urb.Agent.Image;
using Urb.Agent.Memory;
using Urb.Agent.Restore;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Errors;

namespace Urb.Agent.Commands;

/// <summary>
/// <c>restore-image --backup ID|latest [--volume NAME] --to PATH [--json]</c>: writes one volume
/// of an image backup to a block device or a file. "latest" is the newest image backup.
/// </summary>
public static class RestoreImageCommand
{
    public static Command Create(Option<string> stateDirectory)
    {
        var backup = new Option<string>("--backup") { Description = "An image backup's ID or \"latest\" (the newest image backup)", Required = true };
        var volume = new Option<string>("--volume") { Description = "The volume's name in the backup (see 'ls --backup ID'); needed when it holds several" };
        var to = new Option<string>("--to")
        {
            Description = "A block device (not mounted, at least as large as the image) or a file (created or truncated)",
            Required = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON for scripts (no progress line)" };
        var command = new Command("restore-image", "Write one volume of an image backup to a block device or a file") { backup, volume, to, json };
        command.SetAction((result, cancellationToken) =>
        {
            var state = new StateDirectory(result.GetValue(stateDirectory)!);
            return EnrolledCall.RunAsync(state, (connection, _) => RunAsync(
                connection.Channel,
                state.Path,
                result.GetValue(backup)!,
                result.GetValue(volume),
                result.GetValue(to)!,
                result.GetValue(json),
                cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(
        Grpc.Core.ChannelBase channel, string stateDirectory, string backup, string? volume, string target, bool json, CancellationToken cancellationToken)
    {
        var client = new Backups.BackupsClient(channel);
        var clock = Stopwatch.StartNew();
        var backupId = await ImageBackupIdAsync(client, backup, cancellationToken);
        var node = await VolumeAsync(client, backupId, volume, cancellationToken);
        using var writer = VolumeTarget.Open(target, node.Size);
        using var pacer = GarbagePacer.Start(trimNativeHeap: false);
        await using (new ProgressLine(() => $"{ProgressLine.Bytes(writer.Written)}/{ProgressLine.Bytes(node.Size)}  {node.Name}", enabled: !json))
        {
            using var call = RestoreCall.Start(channel, new RestoreRequest { Backup = backupId, Path = node.Name, AsChunks = true }, cancellationToken);
            await foreach (var item in RestoreResponses.ReadAsync(call.ResponseStream, stateDirectory, cancellationToken))
            {
                if (item.Entry is null) writer.Write(item.Content.Span);
            }
        }
        if (writer.Written != node.Size)
        {
            throw new InvalidDataException($"The server sent {writer.Written:N0} bytes of {node.Name}, not its {node.Size:N0}; {target} is incomplete.");
        }
        writer.Complete();
        var full = Path.GetFullPath(target);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new ImageRestoreSummaryJson(
                BackupId: backupId,
                Volume: node.Name,
                Target: full,
                BlockDevice: writer.IsBlockDevice,
                Bytes: writer.Written,
                DurationSeconds: Math.Round(clock.Elapsed.TotalSeconds, 3)), CommandJson.Default.ImageRestoreSummaryJson));
        }
        else
        {
            Console.WriteLine($"Restored {node.Name} of backup {backupId} to {full}: {ProgressLine.Bytes(writer.Written)} in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The backup's ID, checked to be an image backup of this client.</summary>
    private static async Task<string> ImageBackupIdAsync(Backups.BackupsClient client, string backup, CancellationToken cancellationToken)
    {
        var snapshots = (await client.ListSnapshotsAsync(new ListSnapshotsRequest(), cancellationToken: cancellationToken)).Snapshots;
        if (backup == "latest")
        {
            return snapshots.FirstOrDefault(s => s.Kind.IsImage())?.BackupId
                ?? throw new InvalidInputException("backup", "this client has no image backup yet.");
        }
        var snapshot = snapshots.FirstOrDefault(s => s.BackupId == backup)
            ?? throw new InvalidInputException("backup", $"no backup {backup} of this client (see 'backups').");
        return snapshot.Kind.IsImage()
            ? snapshot.BackupId
            : throw new InvalidInputException("backup", $"backup {backup} is a {snapshot.Kind.DisplayName()} backup, not an image; use 'restore'.");
    }

    /// <summary>The volume's node: the one named, or the only one.</summary>
    private static async Task<Node> VolumeAsync(Backups.BackupsClient client, string backupId, string? name, CancellationToken cancellationToken)
    {
        var volumes = new List<Node>();
        using var call = client.ListEntries(new ListEntriesRequest { Backup = backupId }, cancellationToken: cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken)) volumes.AddRange(call.ResponseStream.Current.Entries.Select(e => e.Node));
        var names = string.Join(", ", volumes.Select(v => v.Name));
        if (name is null)
        {
            return volumes.Count == 1 ? volumes[0] : throw new InvalidInputException("volume", $"backup {backupId} holds several volumes ({names}); choose one with --volume NAME.");
        }
        return volumes.FirstOrDefault(v => v.Name == name)
            ?? throw new InvalidInputException("volume", $"backup {backupId} holds no volume \"{name}\" (it holds: {names}).");
    }
}
