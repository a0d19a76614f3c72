using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Urb.Agent.Backup;
using Urb.Agent.Connection;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;
using Urb.Contracts.Settings;
using Urb.Domain.Settings;

namespace Urb.Agent.Commands;

/// <summary><c>backup [--image] [--full] [--path DIR | --volume PATH]... [--json]</c>: one file or image backup of this machine.</summary>
public static class BackupCommand
{
    private static readonly TimeSpan SettingsDeadline = TimeSpan.FromSeconds(30);

    public static Command Create(Option<string> stateDirectory)
    {
        var full = new Option<bool>("--full") { Description = "Read and hash every file (still sends only what the server lacks)" };
        var paths = new Option<string[]>("--path")
        {
            Description = "A directory to back up (repeat for several); default: the client's backup_paths setting on the server",
            AllowMultipleArgumentsPerToken = false,
        };
        var image = new Option<bool>("--image") { Description = "Back up whole volumes (block devices or files holding a volume) instead of files" };
        var volumes = new Option<string[]>("--volume")
        {
            Description = "With --image: a volume to back up (repeat for several); default: the client's image_volumes setting on the server",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON for scripts (no progress line)" };
        var level = new Option<int>("--compression-level")
        {
            Description = "zstd level of uploads (1 fastest ... 19 smallest)",
            DefaultValueFactory = _ => 3,
        };
        level.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 19) r.AddError("--compression-level must be 1 to 19.");
        });
        var command = new Command("backup", "Back up files (or with --image, volumes): sends only what the server lacks")
        {
            full, image, paths, volumes, json, level,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(image) && r.GetValue(paths) is { Length: > 0 }) r.AddError("--path is for file backups; an image backup takes --volume.");
            if (!r.GetValue(image) && r.GetValue(volumes) is { Length: > 0 }) r.AddError("--volume needs --image.");
        });
        command.SetAction((result, cancellationToken) =>
        {
            var isImage = result.GetValue(image);
            var given = (isImage ? result.GetValue(volumes) : result.GetValue(paths)) ?? [];
            return RunAsync(
                new StateDirectory(result.GetValue(stateDirectory)!),
                new BackupOptions(given, result.GetValue(full), result.GetValue(level)) { Image = isImage },
                result.GetValue(json),
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(StateDirectory state, BackupOptions requested, bool json, CancellationToken cancellationToken)
    {
        return await EnrolledCall.RunAsync(state, async (connection, _) =>
        {
            var options = await WithServerSettingsAsync(connection, requested, cancellationToken);
            if (options.Paths.Count == 0)
            {
                await Console.Error.WriteLineAsync(
                    $"urb-agent: {NothingToBackUp(options)}; give one or more {(options.Image ? "--volume PATH" : "--path DIR")}.");
                return ExitCodes.Usage;
            }
            var run = new BackupRun(new Backups.BackupsClient(connection.Channel), state.Path, options);
            var clock = Stopwatch.StartNew();
            BackupOutcome outcome;
            await using (new ProgressLine(() => Render(run, clock.Elapsed), enabled: !json))
            {
                outcome = await run.RunAsync(cancellationToken);
            }
            if (json) PrintJson(outcome);
            else PrintSummary(outcome);
            return outcome.CompletedWithWarnings ? ExitCodes.CompletedWithWarnings : ExitCodes.Ok;
        });
    }

    public const string NoPaths = "no backup paths: the server configures none for this client (backup_paths)";

    public const string NoVolumes = "no image volumes: the server configures none for this client (image_volumes)";

    /// <summary>Why a backup of these options has nothing to read.</summary>
    public static string NothingToBackUp(BackupOptions options) => options.Image ? NoVolumes : NoPaths;

    /// <summary>
    /// The server's settings for this client applied to a backup: its paths (an image backup: its
    /// volumes) when none are given, and always its excludes and includes. The server checks the
    /// permissions again on its side.
    /// </summary>
    public static async Task<BackupOptions> WithServerSettingsAsync(GatewayConnection connection, BackupOptions requested, CancellationToken cancellationToken)
    {
        var settings = SettingsMessages.FromMessage(await new AgentSession.AgentSessionClient(connection.Channel)
            .GetSettingsAsync(new GetSettingsRequest(), deadline: DateTime.UtcNow + SettingsDeadline, cancellationToken: cancellationToken));
        return requested with
        {
            Paths = requested.Paths.Count > 0 ? requested.Paths : settings.List(requested.Image ? SettingCatalog.ImageVolumes : SettingCatalog.BackupPaths),
            Excludes = settings.List(SettingCatalog.Exclude),
            Includes = settings.List(SettingCatalog.Include),
        };
    }

    private static string Render(BackupRun run, TimeSpan elapsed)
    {
        var counters = run.Counters;
        var rate = counters.BytesRead / Math.Max(elapsed.TotalSeconds, 0.001);
        return $"{counters.FilesRead:N0}/{run.FilesToRead:N0} {(run.IsImage ? "volumes" : "files")}  {ProgressLine.Bytes(counters.BytesRead)}/{ProgressLine.Bytes(run.BytesToRead)}  " +
               $"{ProgressLine.Bytes(rate)}/s  ETA {ProgressLine.Eta(counters.BytesRead, run.BytesToRead, elapsed)}  {counters.CurrentFile}";
    }

    private static void PrintSummary(BackupOutcome outcome)
    {
        var s = outcome.Stats;
        Console.WriteLine($"Backup {outcome.Snapshot.BackupId} {(outcome.CompletedWithWarnings ? "completed with warnings" : "completed")} in {outcome.Duration.TotalSeconds:0.0} s");
        if (outcome.Snapshot.Kind.IsImage()) Console.WriteLine($"Volumes:     {s.FilesNew:N0} ({outcome.Snapshot.Kind.DisplayName()}; every block read)");
        else Console.WriteLine($"Files:       {s.FilesNew:N0} new, {s.FilesChanged:N0} changed, {s.FilesUnchanged:N0} unchanged ({s.Directories:N0} directories)");
        Console.WriteLine($"Read:        {ProgressLine.Bytes(s.BytesRead)} of {ProgressLine.Bytes(s.TotalBytes)}");
        Console.WriteLine($"Sent:        {ProgressLine.Bytes(s.BytesSent)} ({s.ChunksNew:N0} new objects, {ProgressLine.Bytes(s.BytesNew)} before compression; {s.ChunksKnown:N0} chunks already stored)");
        Console.WriteLine($"Dedup ratio: {(double.IsInfinity(outcome.DedupRatio) ? "all content already stored" : $"{outcome.DedupRatio:0.0}x")}");
        var p = outcome.Phases;
        Console.WriteLine($"Time:        planning {p.Planning.TotalSeconds:0.00} s, reading {p.Reading.TotalSeconds:0.00} s, trees {p.Trees.TotalSeconds:0.00} s, " +
                          $"commit {p.Committing.TotalSeconds:0.00} s, state {p.SavingState.TotalSeconds:0.00} s");
        foreach (var note in outcome.Notes.Take(20)) Console.WriteLine($"{(outcome.Snapshot.Kind.IsImage() ? "Note:" : "Skipped:"),-13}{note}");
        foreach (var warning in outcome.Warnings.Take(50)) Console.Error.WriteLine($"urb-agent: warning: {warning.Path}: {warning.Message}");
        if (outcome.Warnings.Count > 50) Console.Error.WriteLine($"urb-agent: ... and {outcome.Warnings.Count - 50} more warnings");
    }

    private static void PrintJson(BackupOutcome outcome)
    {
        var s = outcome.Stats;
        var image = outcome.Snapshot.Kind.IsImage();
        Console.WriteLine(JsonSerializer.Serialize(new BackupSummaryJson(
            BackupId: outcome.Snapshot.BackupId,
            Status: outcome.CompletedWithWarnings ? "completed_with_warnings" : "completed",
            FilesNew: s.FilesNew,
            FilesChanged: s.FilesChanged,
            FilesUnchanged: s.FilesUnchanged,
            Directories: s.Directories,
            TotalBytes: s.TotalBytes,
            BytesRead: s.BytesRead,
            BytesNew: s.BytesNew,
            BytesSent: s.BytesSent,
            ChunksNew: s.ChunksNew,
            ChunksKnown: s.ChunksKnown,
            DedupRatio: double.IsInfinity(outcome.DedupRatio) ? null : Math.Round(outcome.DedupRatio, 2),
            DurationSeconds: Math.Round(outcome.Duration.TotalSeconds, 3),
            Phases: BackupPhasesJson.Of(outcome.Phases),
            Warnings: [.. outcome.Warnings.Select(w => new PathMessageJson(w.Path, w.Message))],
            // An image backup skips nothing; its notes are cautions (a volume mounted read-write).
            Skipped: image ? [] : [.. outcome.Notes],
            Notes: image ? [.. outcome.Notes] : []), CommandJson.Default.BackupSummaryJson));
    }
}
