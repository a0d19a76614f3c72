using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Snapshot.V1;
using Urb.Contracts.Snapshots;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Ingest.Activities;
using Urb.Ingest.Data;
using Urb.Ingest.Snapshots;
using Urb.ServiceDefaults.Content;

namespace Urb.Ingest.Backups;

/// <summary>
/// One file backup stream (see backup.proto, Backups.Run): answers the agent's queries from the
/// index, verifies every object it uploads (the plaintext must hash to its ID; a tree must be
/// well formed), hands them to storage, and at the end commits the snapshot in one statement,
/// only after everything it refers to is durable and stored for the tenant.
/// </summary>
public sealed partial class BackupSession(
    BackupCatalog catalog,
    ChunkIdKeys keys,
    DedupIndex.DedupIndexClient index,
    Storage.StorageClient storage,
    TreeStore trees,
    ClientDictionaries dictionaries,
    ReferenceRecorder references,
    RunningBackups running,
    ActivityPublisher activities,
    IngestLiveLog liveLog,
    IngestMetrics metrics,
    ILogger<BackupSession> log)
{
    public const int MaxQueryIds = 8192;
    public const int MaxPaths = 256;
    private const int IndexBatch = 65536;
    private static readonly TimeSpan SalvageTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Objects uploaded by this backup: present for its later queries even before storage has answered.</summary>
    private readonly HashSet<byte[]> uploaded = new(ChunkIdComparer.Instance);

    /// <summary>What this backup read: its queries but reused ones, and its uploads (see <see cref="ContentSeen"/>).</summary>
    private readonly ContentSeen read = new();

    /// <summary>Trees uploaded by this backup, parsed.</summary>
    private readonly Dictionary<byte[], Tree> uploadedTrees = new(ChunkIdComparer.Instance);

    /// <summary>This backup's progress, as published to portals.</summary>
    private LiveActivity? activity;

    /// <summary>The client's dictionary that uploads may be compressed with (given at the start, or sent in this backup).</summary>
    private ZstdDict? dictionary;

    /// <summary>The ID reserved for a dictionary the agent may train in this backup (0: none).</summary>
    private uint newDictionaryId;

    public async Task RunAsync(
        SnapshotOwner owner, IAsyncStreamReader<BackupRequest> requests, IServerStreamWriter<BackupResponse> responses, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken) || requests.Current.KindCase != BackupRequest.KindOneofCase.Start)
        {
            throw new InvalidInputException("start", "A backup stream begins with a start message.");
        }
        var start = requests.Current.Start;
        ValidateStart(start);
        // Started here, in the call's flow, so the index and storage calls below (storage's
        // included, though they outlive the agent's call) are its children in the backup's trace.
        using var span = IngestTracing.Source.StartActivity("backup");
        span?.SetTag(IngestTracing.TenantTag, owner.TenantId.ToString())
            .SetTag(IngestTracing.ClientTag, owner.ClientId.ToString())
            .SetTag(IngestTracing.KindTag, start.Kind.DisplayName());
        var key = await keys.GetAsync(owner.TenantId, cancellationToken);
        var record = await catalog.StartAsync(owner, start, cancellationToken);
        span?.SetTag(IngestTracing.BackupTag, record.Id.ToString());
        running.Add(record.Id);
        var live = activity = activities.Begin(record.Id, owner.TenantId, owner.ClientId, Urb.ServiceDefaults.Activities.ActivityState.Backup);
        metrics.BackupStarted();
        var outcome = BackupStatus.Failed;
        LogStarted(record.Id, owner.ClientId, start.Kind);
        liveLog.BackupStarted(owner, record.Id, start);
        // Storage calls outlive the agent's call: what was received and verified before a cut is
        // still made durable, so the retry finds it and does not send it again.
        using var storageCancel = new CancellationTokenSource();
        using var uploader = new StorageUploader(storage, owner.TenantId, storageCancel.Token);
        try
        {
            var started = new BackupStarted { BackupId = record.Id.ToString(), ChunkIdKey = ByteString.CopyFrom(key), AcceptsProgress = true, AcceptsChunkBatches = true };
            if (start.AcceptsDictionaries) await OfferDictionaryAsync(owner, started, cancellationToken);
            await responses.WriteAsync(new BackupResponse { Started = started }, cancellationToken);
            var commit = await ReceiveAsync(owner, key, requests, responses, uploader, cancellationToken)
                ?? throw new InvalidInputException("commit", "The backup stream ended without a commit; nothing was committed.");
            var steps = new CommitSteps();
            await uploader.FlushAsync();
            steps.Flushed();
            var rootIds = await CheckCommitAsync(owner, start.Kind, commit, cancellationToken);
            steps.Checked();
            await references.RecordAsync(owner, rootIds, uploadedTrees, read, cancellationToken);
            steps.Referenced();
            record = await catalog.CompleteAsync(record, commit, cancellationToken);
            steps.Cataloged();
            LogCommitted(record.Id, owner.ClientId, uploaded.Count, commit.Warnings.Count, steps);
            liveLog.BackupCompleted(owner, record);
            outcome = BackupStatus.Completed;
            await responses.WriteAsync(new BackupResponse { Committed = new BackupCommitted { Snapshot = BackupCatalog.ToMessage(record) } }, cancellationToken);
        }
        catch (Exception e)
        {
            var interrupted = IsInterruption(e);
            var status = interrupted ? BackupStatus.Interrupted : BackupStatus.Failed;
            outcome = status;
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            LogEnded(record.Id, owner.ClientId, status, e.Message);
            liveLog.BackupEnded(owner, record.Id, interrupted, e.Message);
            if (interrupted) await SalvageAsync(uploader, storageCancel);
            await catalog.EndAsync(record.Id, status, e.Message);
            throw;
        }
        finally
        {
            await storageCancel.CancelAsync();
            running.Remove(record.Id);
            activities.End(live);
            metrics.BackupEnded(outcome);
            span?.SetTag(IngestTracing.OutcomeTag, outcome);
        }
    }

    /// <summary>
    /// The call went away (a reset stream is an IOException from Kestrel: the agent or the gateway
    /// left), as opposed to a fault of the data or of a service.
    /// </summary>
    public static bool IsInterruption(Exception e) =>
        e is OperationCanceledException or IOException || (e is RpcException r && r.StatusCode == StatusCode.Cancelled);

    /// <summary>Makes what an interrupted backup uploaded durable (bounded in time), for its retry to find.</summary>
    private async Task SalvageAsync(StorageUploader uploader, CancellationTokenSource storageCancel)
    {
        storageCancel.CancelAfter(SalvageTimeout);
        try
        {
            await uploader.FlushAsync();
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or InvalidOperationException)
        {
            LogSalvageFailed(e.Message);
        }
    }

    private static void ValidateStart(BackupStart start)
    {
        if (!start.Kind.IsKnown())
        {
            throw new InvalidInputException("start.kind", "A backup is a file or image backup, incremental or full.");
        }
        if (start.Paths.Count is 0 or > MaxPaths)
        {
            throw new InvalidInputException("start.paths", $"A backup names 1 to {MaxPaths} paths.");
        }
        if (start.Paths.Any(p => string.IsNullOrEmpty(p) || p.Length > 4096 || p.Contains('\0')))
        {
            throw new InvalidInputException("start.paths", "A backed-up path is empty, too long or holds a NUL character.");
        }
    }

    /// <summary>Handles queries and uploads until the commit (null when the stream ends without one).</summary>
    private async Task<BackupCommit?> ReceiveAsync(
        SnapshotOwner owner, byte[] key, IAsyncStreamReader<BackupRequest> requests, IServerStreamWriter<BackupResponse> responses,
        StorageUploader uploader, CancellationToken cancellationToken)
    {
        var assembler = new ChunkAssembler<(bool Compressed, bool Tree)>("chunk");
        while (await requests.MoveNext(cancellationToken))
        {
            var request = requests.Current;
            switch (request.KindCase)
            {
                case BackupRequest.KindOneofCase.Query:
                    if (!request.Query.Reused) read.AddPacked(request.Query.Ids.Span);
                    var present = await QueryAsync(owner, request.Query.Ids, cancellationToken);
                    await responses.WriteAsync(new BackupResponse { QueryResult = new ChunkQueryResult { Present = present } }, cancellationToken);
                    break;
                case BackupRequest.KindOneofCase.Chunk:
                    await AddPieceAsync(key, assembler, request.Chunk, uploader);
                    break;
                case BackupRequest.KindOneofCase.Chunks:
                    foreach (var piece in request.Chunks.Pieces) await AddPieceAsync(key, assembler, piece, uploader);
                    break;
                case BackupRequest.KindOneofCase.Progress:
                    activity?.Report(request.Progress);
                    break;
                case BackupRequest.KindOneofCase.Dictionary:
                    await AcceptDictionaryAsync(owner, key, request.Dictionary, uploader, cancellationToken);
                    break;
                case BackupRequest.KindOneofCase.Commit:
                    assembler.EnsureComplete();
                    return request.Commit;
                default:
                    throw new InvalidInputException("kind", $"Unexpected message in a running backup: {request.KindCase}.");
            }
        }
        return null;
    }

    private async Task AddPieceAsync(byte[] key, ChunkAssembler<(bool Compressed, bool Tree)> assembler, ChunkUpload piece, StorageUploader uploader)
    {
        if (assembler.Add(piece.Id.Span, piece.Data.Memory, piece.EndOfChunk, (piece.Compressed, piece.Tree)) is { } chunk)
        {
            await AcceptAsync(key, chunk, uploader);
        }
    }

    private async Task<ByteString> QueryAsync(SnapshotOwner owner, ByteString ids, CancellationToken cancellationToken)
    {
        var count = ChunkId.CountPacked(ids.Span, "query.ids", MaxQueryIds);
        if (count == 0) return ByteString.Empty;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = await index.FindChunksAsync(
            new FindChunksRequest { TenantId = owner.TenantId.ToString(), ChunkIds = ids }, cancellationToken: cancellationToken);
        metrics.LookupDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        var present = answer.Present.ToByteArray();
        var known = 0;
        for (var i = 0; i < count; i++)
        {
            if (present[i] == 0 && uploaded.Contains(ids.Span.Slice(i * ChunkId.Size, ChunkId.Size).ToArray())) present[i] = 1;
            known += present[i];
        }
        metrics.ChunksQueried.Add(count);
        metrics.ChunksKnown.Add(known);
        return UnsafeByteOperations.UnsafeWrap(present);
    }

    /// <summary>Verifies an uploaded object and passes it on to storage.</summary>
    private async Task AcceptAsync(byte[] key, AssembledChunk<(bool Compressed, bool Tree)> chunk, StorageUploader uploader)
    {
        byte[]? rented = null;
        try
        {
            var plaintext = chunk.Data;
            if (chunk.Info.Compressed)
            {
                var named = ZstdFrame.DictionaryId(chunk.Data.Span);
                if (named != 0 && named != dictionary?.Id)
                {
                    throw new InvalidInputException("chunk.data", $"Object {ChunkId.ToHex(chunk.Id)} is compressed with dictionary {named}, which is not this client's.");
                }
                rented = ReceivedChunk.DecompressToRented(chunk.Data.Span, "chunk.data", out var length, named == 0 ? null : dictionary);
                plaintext = rented.AsMemory(0, length);
            }
            if (!ChunkId.Matches(key, plaintext.Span, chunk.Id))
            {
                throw new DataLossException(
                    $"Object {ChunkId.ToHex(chunk.Id)} does not match its ID (damaged on the way?); the backup is refused and nothing of it is committed.");
            }
            if (chunk.Info.Tree)
            {
                uploadedTrees[chunk.Id] = TreeRules.Parse(plaintext.Span, $"tree {ChunkId.ToHex(chunk.Id)}");
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
        metrics.ObjectsReceived.Add(1);
        metrics.BytesReceived.Add(chunk.Data.Length);
        activity?.Count(chunk.Data.Length);
        read.Add(chunk.Id);
        if (uploaded.Add(chunk.Id))
        {
            metrics.ChunksNew.Add(1);
            await uploader.WriteAsync(chunk.Id, chunk.Data, chunk.Info.Compressed, chunk.Info.Tree);
        }
    }

    /// <summary>The client's newest dictionary for the agent to compress with, or else an ID for one it may train.</summary>
    private async Task OfferDictionaryAsync(SnapshotOwner owner, BackupStarted started, CancellationToken cancellationToken)
    {
        var own = await dictionaries.ForClientAsync(owner.TenantId, owner.ClientId, cancellationToken);
        if (own.Count > 0)
        {
            dictionary = own[0];
            started.Dictionary = CompressionDictionaries.ToMessage(dictionary);
        }
        else
        {
            started.NewDictionaryId = newDictionaryId = await dictionaries.ReserveIdAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A dictionary the agent trained: checked, stored and registered before anything compressed
    /// with it is taken, so that what this backup stores stays readable even if it is cut.
    /// </summary>
    private async Task AcceptDictionaryAsync(SnapshotOwner owner, byte[] key, CompressionDictionary sent, StorageUploader uploader, CancellationToken cancellationToken)
    {
        if (newDictionaryId == 0 || dictionary is not null)
        {
            throw new InvalidInputException("dictionary", "This backup takes no new dictionary: the client has one, or the agent did not ask for one at the start.");
        }
        if (sent.Id != newDictionaryId)
        {
            throw new InvalidInputException("dictionary.id", $"The new dictionary's ID is {newDictionaryId}, as the start said; got {sent.Id}.");
        }
        ZstdDict trained;
        try
        {
            trained = ZstdDict.Load(sent.Content.Span);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException("dictionary.content", $"Not a usable zstd dictionary: {e.Message}.");
        }
        if (trained.Id != sent.Id)
        {
            throw new InvalidInputException("dictionary.content", $"The dictionary's content names ID {trained.Id}, not {sent.Id}.");
        }
        var stored = CompressionDictionaries.Pack(owner.ClientId, trained);
        var objectId = ChunkId.Compute(key, stored);
        if (uploaded.Add(objectId)) await uploader.WriteAsync(objectId, stored, compressed: false, tree: false, dictionary: true);
        read.Add(objectId);
        await uploader.FlushAsync();
        await dictionaries.RegisterAsync(owner.TenantId, owner.ClientId, trained, objectId, cancellationToken);
        dictionary = trained;
        LogDictionaryRegistered(trained.Id, owner.ClientId, trained.Content.Length);
    }

    /// <summary>
    /// The snapshot may only refer to what is stored for the tenant: the root's parts and
    /// everything the uploaded trees name must be uploaded by this backup or found in the index.
    /// (A tree that was not uploaded now was complete when it was stored, and cleanup never
    /// removes part of a referenced tree.)
    /// </summary>
    private async Task<List<byte[]>> CheckCommitAsync(SnapshotOwner owner, BackupKind kind, BackupCommit commit, CancellationToken cancellationToken)
    {
        var rootCount = ChunkId.CountPacked(commit.RootIds.Span, "commit.root_ids", 4096);
        if (rootCount == 0) throw new InvalidInputException("commit.root_ids", "A snapshot has a root.");
        var rootIds = ChunkId.Unpack(commit.RootIds.Memory);

        var needed = new HashSet<byte[]>(ChunkIdComparer.Instance);
        foreach (var tree in uploadedTrees.Values)
        {
            foreach (var reference in TreeRules.References(tree)) needed.Add(reference.ToArray());
        }
        needed.UnionWith(rootIds);
        needed.ExceptWith(uploaded);
        var missing = await FindMissingAsync(owner, needed.ToList(), cancellationToken);
        if (missing.Count > 0)
        {
            throw new FailedPreconditionException(
                $"The snapshot refers to {missing.Count} objects the server does not have (first: {ChunkId.ToHex(missing[0])}); nothing was committed. " +
                "Back up again: the agent re-reads what is missing.");
        }
        // A root that was not uploaded now (nothing changed under it) must be a tree: the index's
        // mark says so without a read. An image's roots are read back, as their nodes are checked.
        var reused = rootIds.Where(id => !uploadedTrees.ContainsKey(id)).ToList();
        if (kind.IsImage())
        {
            var loaded = await trees.LoadAsync(owner.TenantId, reused, cancellationToken);
            ImageRoots.Check(rootIds.Select(id => uploadedTrees.TryGetValue(id, out var tree) ? tree : loaded[id]));
        }
        else
        {
            await trees.RequireTreesAsync(owner.TenantId, reused, cancellationToken);
        }
        return rootIds;
    }

    private async Task<List<byte[]>> FindMissingAsync(SnapshotOwner owner, List<byte[]> ids, CancellationToken cancellationToken)
    {
        var missing = new List<byte[]>();
        for (var start = 0; start < ids.Count; start += IndexBatch)
        {
            var batch = ids.GetRange(start, Math.Min(IndexBatch, ids.Count - start));
            var answer = await index.FindChunksAsync(new FindChunksRequest
            {
                TenantId = owner.TenantId.ToString(),
                ChunkIds = UnsafeByteOperations.UnsafeWrap(ChunkId.Pack(batch)),
            }, cancellationToken: cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                if (answer.Present[i] == 0) missing.Add(batch[i]);
            }
        }
        return missing;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {BackupId} of client {ClientId} started ({Kind})")]
    private partial void LogStarted(Guid backupId, Guid clientId, BackupKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {BackupId} of client {ClientId} committed: {Objects} new objects, {Warnings} warnings; commit took {CommitSteps}")]
    private partial void LogCommitted(Guid backupId, Guid clientId, int objects, int warnings, CommitSteps commitSteps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compression dictionary {DictionaryId} of client {ClientId} registered ({Bytes} bytes)")]
    private partial void LogDictionaryRegistered(uint dictionaryId, Guid clientId, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not keep what an interrupted backup uploaded (its retry sends it again): {Reason}")]
    private partial void LogSalvageFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backup {BackupId} of client {ClientId} ended {Status}: {Reason}")]
    private partial void LogEnded(Guid backupId, Guid clientId, string status, string reason);
}
