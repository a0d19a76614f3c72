using System.Reflection;
using System.Security.Cryptography;
using Urb.Agent.Image;
using Urb.Agent.Memory;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Domain.Timing;

namespace Urb.Agent.Backup;

/// <summary>Options of one backup run.</summary>
/// <param name="CompressionLevel">zstd level of uploads (the server stores them as sent when that is smaller).</param>
public sealed record BackupOptions(IReadOnlyList<string> Paths, bool Full, int CompressionLevel = 3)
{
    /// <summary>Wildcard patterns left out (the server's exclude setting).</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>When not empty, only what matches these (the server's include setting).</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];

    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>The server's command this backup answers (a backup the server started), or empty.</summary>
    public string CommandId { get; init; } = "";

    /// <summary>An image backup: <see cref="Paths"/> are volumes (block devices or files holding one).</summary>
    public bool Image { get; init; }

    public BackupKind Kind => BackupKinds.Of(Image, Full);
}

/// <summary>
/// One file backup, start to commit: walk and plan against the state database, read and upload
/// what changed, build and sync the snapshot's trees, commit, then save the state. Nothing is
/// saved to the state database unless the server committed (a failed run re-reads next time,
/// while the server's queries keep it from sending again what it already stored). An image
/// backup takes the same path from its plan on, with one file per volume, every one read.
/// </summary>
public sealed class BackupRun(Backups.BackupsClient client, string stateDirectory, BackupOptions options)
{
    /// <summary>After this many rounds of "the server lost chunks a file pointed to, read it again", give up.</summary>
    private const int MaxRereadRounds = 3;

    /// <summary>
    /// Allocation planning may make without a collection: the benchmark tree's 25,000 entries
    /// take about 40 MiB (the state database's rows, the walk, the plan), during which the paced
    /// and the runtime's own collections paused a backup without changes for 100-165 ms of its
    /// 0.5-0.6 s. A larger tree goes past it and is paced from there.
    /// </summary>
    private const long PlanningAllowanceBytes = 64L * 1024 * 1024;

    private static readonly string AgentVersion =
        typeof(BackupRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public BackupCounters Counters { get; } = new();

    /// <summary>Bytes the plan will read (known after the walk), for progress and ETA.</summary>
    public long BytesToRead { get; private set; }

    public long FilesToRead { get; private set; }

    public bool IsImage => options.Image;

    /// <summary>The run's phases (see <see cref="BackupPhases"/>), timed from the start of <see cref="RunAsync"/>.</summary>
    private LapClock clock = new();
    private TimeSpan planningTime, readingTime, treesTime, committingTime;

    public async Task<BackupOutcome> RunAsync(CancellationToken cancellationToken)
    {
        clock = new LapClock();
        using var pacer = GarbagePacer.Start();
        var paths = options.Paths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))).ToList();
        // Volumes are checked before the backup starts: a wrong path is a usage error, not a failed backup.
        var volumes = options.Image ? ImageVolume.OpenAll(paths) : null;
        var start = new BackupStart
        {
            Kind = options.Kind,
            Paths = { paths },
            AgentVersion = AgentVersion,
            CommandId = options.CommandId,
            // Volumes are not small files: an image backup compresses without a dictionary.
            AcceptsDictionaries = !options.Image,
        };
        if (volumes is not null)
        {
            await using var imageChannel = await BackupChannel.StartAsync(client, start, cancellationToken);
            planningTime = clock.Lap();
            return Finished(await UploadAndCommitAsync(imageChannel, BackupPlan.ForVolumes(volumes, DateTimeOffset.UtcNow), pacer, cancellationToken));
        }
        using var store = FileStateStore.OpenBeforeKey(stateDirectory);
        // Loading the state and walking the disk need nothing from the server, so they run while it
        // starts the backup (a round trip, and on a freshly started server much more). The state
        // database's rows are needed only while planning (not held through the upload).
        using var planningStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Nearly everything planning allocates stays alive until it ends, so a collection meanwhile
        // only copies it: held off (and ended early, idempotently, when planning is done).
        using var planningHold = pacer.HoldCollections(PlanningAllowanceBytes);
        var loading = Task.Run(store.LoadAll, planningStop.Token);
        var planning = Task.Run(() => BackupPlan.Build(paths, loading, options, planningStop.Token), planningStop.Token);
        BackupChannel channel;
        try
        {
            channel = await BackupChannel.StartAsync(client, start, cancellationToken);
        }
        catch
        {
            // The store must outlive the load and the walk that read it; the backup's own failure is what counts.
            await planningStop.CancelAsync();
            await SettledAsync(planning, loading);
            throw;
        }
        await using var _ = channel;
        BackupPlan plan;
        try
        {
            plan = await planning;
        }
        finally
        {
            // A walk that failed did not wait for the load, which reads the store.
            await SettledAsync(loading);
            planningHold.Dispose();
        }
        if (!store.ConfirmKey(KeyFingerprint(channel.ChunkIdKey)))
        {
            // The state was computed under another tenant key (or was damaged): it is gone now, and
            // the plan that used it is walked again without it.
            plan = BackupPlan.Build(paths, store.LoadAll(), options, cancellationToken);
        }
        if (plan.RootNodes.Count == 0)
        {
            throw new InvalidInputException("path", $"Nothing to back up: {string.Join("; ", plan.Warnings.Select(w => w.Message))}");
        }
        // The walk's garbage (most of what planning allocated) goes before reading starts; with
        // nothing to read, the next collection the budget calls for does as well.
        if (plan.Files.Any(f => f.NeedsRead)) pacer.PhaseEnded();
        planningTime = clock.Lap();
        var committed = await UploadAndCommitAsync(channel, plan, pacer, cancellationToken);
        SaveState(store, plan);
        // Closing folds the write-ahead log into the database: part of saving the state.
        store.Dispose();
        return Finished(committed);
    }

    /// <summary>The outcome with its duration and phases, once everything of the run is done.</summary>
    private BackupOutcome Finished(Committed committed)
    {
        var savingStateTime = clock.Lap();
        // The phases add up to the duration exactly: it ends where the last one does.
        return new(committed.Snapshot, committed.Stats, committed.Warnings, committed.Notes, clock.Total,
            new BackupPhases(planningTime, readingTime, treesTime, committingTime, savingStateTime));
    }

    /// <summary>Reads and uploads what the plan needs, syncs its trees (re-reading what the server lost) and commits.</summary>
    private sealed record Committed(Snapshot Snapshot, BackupStats Stats, IReadOnlyList<BackupWarning> Warnings, IReadOnlyList<string> Notes);

    private async Task<Committed> UploadAndCommitAsync(
        BackupChannel channel, BackupPlan plan, GarbagePacer pacer, CancellationToken cancellationToken)
    {
        var toRead = plan.Files.Where(f => f.NeedsRead && f.HardLinkOf is null).ToList();
        (FilesToRead, BytesToRead) = (toRead.Count, toRead.Sum(f => f.Node.Size));

        var uploader = new ContentUploader(channel, Counters, options.CompressionLevel, options.Workers)
        {
            Dictionary = await DictionaryAsync(channel, toRead, cancellationToken),
        };
        var warnings = new List<BackupWarning>(plan.Warnings);
        void OnFailure(FileItem file, string reason)
        {
            lock (warnings) warnings.Add(new BackupWarning { Path = file.AbsolutePath, Message = $"Unreadable: {reason}" });
        }

        await using (new ProgressReporter(channel, () => ProgressReporter.Of(Counters, FilesToRead, BytesToRead)))
        {
            await uploader.ReadAllAsync(toRead, OnFailure, cancellationToken);
        }
        if (options.Image && plan.Files.All(f => f.Failed))
        {
            // An image of no volume at all is no backup: it fails rather than commit an empty snapshot.
            throw new IOException($"Nothing could be read: {string.Join("; ", warnings.Select(w => $"{w.Path}: {w.Message}"))}");
        }
        readingTime = clock.Lap();
        // The workers' buffers go before the trees are built (there are none when nothing was read).
        if (toRead.Count > 0) pacer.PhaseEnded();
        var snapshotTrees = new SnapshotTrees(plan, channel.ChunkIdKey);
        for (var round = 0; ; round++)
        {
            ShareHardLinkedContent(plan);
            snapshotTrees.Build();
            var stale = await snapshotTrees.SyncAsync(uploader);
            if (stale.Count == 0) break;
            if (round == MaxRereadRounds) throw new InvalidDataException("The server keeps losing chunks this backup refers to; try again later.");
            stale.ForEach(f => f.NeedsRead = true);
            await uploader.ReadAllAsync(stale, OnFailure, cancellationToken);
        }

        treesTime = clock.Lap();
        var stats = StatsOf(plan, channel);
        var snapshot = await channel.CommitAsync(new BackupCommit
        {
            RootIds = Google.Protobuf.ByteString.CopyFrom(Domain.Content.ChunkId.Pack(snapshotTrees.RootParts.Select(p => p.Id).ToList())),
            Stats = stats,
            Warnings = { warnings },
        });
        committingTime = clock.Lap();
        return new Committed(snapshot, stats, warnings, plan.Notes);
    }

    /// <summary>
    /// The dictionary small objects are compressed with: the client's, or one trained now from the
    /// files to read and sent to the server before anything uses it; none when there is too little
    /// to train on.
    /// </summary>
    private static async Task<ZstdDict?> DictionaryAsync(BackupChannel channel, List<FileItem> toRead, CancellationToken cancellationToken)
    {
        if (channel.Dictionary is { } own) return own;
        if (channel.NewDictionaryId == 0) return null;
        var trained = DictionaryTraining.Train(toRead, channel.NewDictionaryId, cancellationToken);
        if (trained is not null) await channel.SendDictionaryAsync(trained);
        return trained;
    }

    /// <summary>A second name of a file has the first one's content (and fails with it).</summary>
    private static void ShareHardLinkedContent(BackupPlan plan)
    {
        foreach (var link in plan.Files.Where(f => f.HardLinkOf is not null))
        {
            link.Node.ChunkIds = link.HardLinkOf!.Node.ChunkIds;
            link.Node.Size = link.HardLinkOf.Node.Size;
            link.Failed = link.HardLinkOf.Failed;
        }
    }

    private BackupStats StatsOf(BackupPlan plan, BackupChannel channel)
    {
        // A second name of a file counts as what its first name was: new, changed or unchanged.
        var files = plan.Files.Where(f => !f.Failed).Select(f => f.HardLinkOf ?? f).ToList();
        return new BackupStats
        {
            FilesNew = files.Count(f => f.WasRead && !f.IsKnownPath),
            FilesChanged = files.Count(f => f.WasRead && f.IsKnownPath),
            FilesUnchanged = files.Count(f => !f.WasRead),
            Directories = plan.Directories.Count,
            TotalBytes = plan.Files.Where(f => !f.Failed).Sum(f => f.Node.Size),
            BytesRead = Counters.BytesRead,
            BytesNew = Counters.BytesNew,
            BytesSent = channel.BytesSent,
            ChunksNew = Counters.ChunksNew,
            ChunksKnown = Counters.ChunksKnown,
        };
    }

    /// <summary>What was read is remembered; paths no longer there, or that failed now, are forgotten.</summary>
    private static void SaveState(FileStateStore store, BackupPlan plan)
    {
        var upserts = plan.Files
            .Where(f => f.WasRead && !f.Failed)
            .Select(f => KeyValuePair.Create(f.SnapshotPath, new KnownFile(f.Stamp, f.Node.ChunkIds.ToByteArray())));
        var removals = plan.KnownPathsGone.Concat(plan.Files.Where(f => f.Failed && f.IsKnownPath).Select(f => f.SnapshotPath));
        store.Save(upserts, removals);
    }

    /// <summary>Identifies the tenant key without storing it: state computed under another key is dropped.</summary>
    private static byte[] KeyFingerprint(byte[] key) => SHA256.HashData(key)[..8];

    /// <summary>Waits until the tasks have ended, whichever way.</summary>
    private static async Task SettledAsync(params Task[] tasks)
    {
        foreach (var task in tasks) await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
