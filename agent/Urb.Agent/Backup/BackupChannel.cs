using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Content;

namespace Urb.Agent.Backup;

/// <summary>
/// The one stream of a backup (Backups.Run): queries answered in order, uploads sent in
/// frames, writes from several workers serialised. Bytes sent are counted for the summary.
/// Objects smaller than <see cref="GatherBelowBytes"/> are gathered into one message of about
/// that size when the server takes batches: most objects of a tree are a few KiB, and each
/// message costs the agent, the gateway and ingest about the same whatever its size. A query and
/// the commit send what is gathered first, so the server sees everything in the order it was
/// uploaded.
/// </summary>
public sealed class BackupChannel : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly Queue<TaskCompletionSource<byte[]>> pendingQueries = new();
    private readonly TaskCompletionSource<BackupCommitted> committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationToken cancellationToken;
    private Task? reader;
    private long bytesSent;

    /// <summary>Small objects not sent yet (only when the server takes batches); guarded by <see cref="writeLock"/>.</summary>
    private ChunkUploads? gathered;
    private int gatheredBytes;

    /// <summary>
    /// Where gathered objects are copied (the caller reuses its buffer): one array for the whole
    /// backup, since a new array per object made the initial backup's peak memory 40 MiB larger
    /// (most of them above the large-object threshold, collected late).
    /// </summary>
    private byte[]? gatherBuffer;

    /// <summary>
    /// Objects below this size are gathered, and a batch holds at most this much. Half a MiB keeps
    /// a message below the 1 MiB arrays the buffer pools keep (larger ones are new arrays each).
    /// </summary>
    public const int GatherBelowBytes = 512 * 1024;

    private BackupChannel(AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call, CancellationToken cancellationToken) =>
        (this.call, this.cancellationToken) = (call, cancellationToken);

    public string BackupId { get; private set; } = "";

    /// <summary>The tenant's key for chunk and tree IDs.</summary>
    public byte[] ChunkIdKey { get; private set; } = [];

    /// <summary>The server takes progress messages (older servers refuse them).</summary>
    public bool AcceptsProgress { get; private set; }

    /// <summary>The server takes several objects per message (older servers refuse them).</summary>
    public bool AcceptsChunkBatches { get; private set; }

    /// <summary>This client's compression dictionary from the server, if it has one the agent can use.</summary>
    public ZstdDict? Dictionary { get; private set; }

    /// <summary>The ID for a dictionary this backup may train (the client has none); 0 otherwise.</summary>
    public uint NewDictionaryId { get; private set; }

    /// <summary>Object bytes sent so far (after compression).</summary>
    public long BytesSent => Interlocked.Read(ref bytesSent);

    public static async Task<BackupChannel> StartAsync(Backups.BackupsClient client, BackupStart start, CancellationToken cancellationToken)
    {
        var channel = new BackupChannel(client.Run(cancellationToken: cancellationToken), cancellationToken);
        await channel.call.RequestStream.WriteAsync(new BackupRequest { Start = start }, cancellationToken);
        if (!await channel.call.ResponseStream.MoveNext(cancellationToken) || channel.call.ResponseStream.Current.KindCase != BackupResponse.KindOneofCase.Started)
        {
            throw new InvalidDataException("The server did not start the backup.");
        }
        var started = channel.call.ResponseStream.Current.Started;
        channel.BackupId = started.BackupId;
        channel.ChunkIdKey = started.ChunkIdKey.ToByteArray();
        channel.AcceptsProgress = started.AcceptsProgress;
        channel.AcceptsChunkBatches = started.AcceptsChunkBatches;
        channel.Dictionary = UsableDictionary(started.Dictionary);
        channel.NewDictionaryId = started.Dictionary is null ? started.NewDictionaryId : 0;
        channel.reader = channel.ReadResponsesAsync();
        return channel;
    }

    /// <summary>Which of the IDs (at most 8192) the server has: one bool per ID.</summary>
    /// <param name="reused">The IDs are chunks of files this backup did not read (see <see cref="ChunkQuery.Reused"/>).</param>
    public async Task<bool[]> QueryAsync(IReadOnlyList<byte[]> ids, bool reused = false) => await await SendQueryAsync(ids, reused);

    /// <summary>Sends a query and returns (once sent) the task of its answer, so the caller can go on meanwhile.</summary>
    public async Task<Task<bool[]>> SendQueryAsync(IReadOnlyList<byte[]> ids, bool reused = false)
    {
        if (ids.Count == 0) return Task.FromResult(Array.Empty<bool>());
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await SendGatheredAsync();
            lock (pendingQueries) pendingQueries.Enqueue(answer);
            await call.RequestStream.WriteAsync(
                new BackupRequest { Query = new ChunkQuery { Ids = UnsafeByteOperations.UnsafeWrap(ChunkId.Pack(ids)), Reused = reused } }, cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
        return Flags(answer.Task, ids.Count);
    }

    private static async Task<bool[]> Flags(Task<byte[]> answer, int count)
    {
        var present = await answer;
        if (present.Length != count) throw new InvalidDataException("The server answered a query with the wrong number of flags.");
        return Array.ConvertAll(present, p => p != 0);
    }

    /// <summary>Sends one object the server lacks, in frames of at most 1 MiB (a small one maybe later, gathered with others).</summary>
    public async Task UploadAsync(byte[] id, ReadOnlyMemory<byte> data, bool compressed, bool tree)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            if (AcceptsChunkBatches && data.Length < GatherBelowBytes)
            {
                await GatherAsync(id, data, compressed, tree);
                return;
            }
            await SendGatheredAsync();
            foreach (var (offset, length) in ChunkLimits.Frames(data.Length))
            {
                var upload = new ChunkUpload
                {
                    Data = UnsafeByteOperations.UnsafeWrap(data.Slice(offset, length)),
                    EndOfChunk = offset + length == data.Length,
                };
                if (offset == 0)
                {
                    upload.Id = UnsafeByteOperations.UnsafeWrap(id);
                    upload.Compressed = compressed;
                    upload.Tree = tree;
                }
                await call.RequestStream.WriteAsync(new BackupRequest { Chunk = upload }, cancellationToken);
            }
        }
        finally
        {
            writeLock.Release();
        }
        Interlocked.Add(ref bytesSent, data.Length);
    }

    /// <summary>Adds a small object to the gathered batch (copied: the caller reuses its buffer); sends the batch once it is full.</summary>
    private async Task GatherAsync(byte[] id, ReadOnlyMemory<byte> data, bool compressed, bool tree)
    {
        if (gatheredBytes + data.Length > GatherBelowBytes) await SendGatheredAsync();
        gatherBuffer ??= GC.AllocateUninitializedArray<byte>(GatherBelowBytes);
        var copy = gatherBuffer.AsMemory(gatheredBytes, data.Length);
        data.CopyTo(copy);
        gathered ??= new ChunkUploads();
        gathered.Pieces.Add(new ChunkUpload
        {
            Id = ByteString.CopyFrom(id),
            // Only until the batch is written: a write serialises the message before it returns.
            Data = UnsafeByteOperations.UnsafeWrap(copy),
            EndOfChunk = true,
            Compressed = compressed,
            Tree = tree,
        });
        gatheredBytes += data.Length;
        Interlocked.Add(ref bytesSent, data.Length);
    }

    /// <summary>Sends the gathered objects, if any (the caller holds <see cref="writeLock"/>).</summary>
    private async Task SendGatheredAsync()
    {
        if (gathered is null) return;
        var batch = gathered;
        (gathered, gatheredBytes) = (null, 0);
        await call.RequestStream.WriteAsync(new BackupRequest { Chunks = batch }, cancellationToken);
    }

    /// <summary>Tells the server how far the backup is (see <see cref="ProgressReporter"/>).</summary>
    public async Task ReportProgressAsync(BackupProgress progress)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(new BackupRequest { Progress = progress }, cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Sends the dictionary this backup trained, before any object compressed with it.</summary>
    public async Task SendDictionaryAsync(ZstdDict dictionary)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await SendGatheredAsync();
            await call.RequestStream.WriteAsync(new BackupRequest
            {
                Dictionary = new CompressionDictionary { Id = dictionary.Id, Content = UnsafeByteOperations.UnsafeWrap(dictionary.Content) },
            }, cancellationToken);
            Interlocked.Add(ref bytesSent, dictionary.Content.Length);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// The server's dictionary of this client, when zstd takes it; one it does not take is left
    /// unused (objects go without a dictionary, which any server reads) rather than failing the backup.
    /// </summary>
    private static ZstdDict? UsableDictionary(CompressionDictionary? given)
    {
        if (given is null) return null;
        try
        {
            var dictionary = ZstdDict.Load(given.Content.Span);
            return dictionary.Id == given.Id ? dictionary : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Commits the snapshot; returns it once the server has.</summary>
    public async Task<Snapshot> CommitAsync(BackupCommit commit)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await SendGatheredAsync();
            await call.RequestStream.WriteAsync(new BackupRequest { Commit = commit }, cancellationToken);
            await call.RequestStream.CompleteAsync();
        }
        finally
        {
            writeLock.Release();
        }
        return (await committed.Task).Snapshot;
    }

    private async Task ReadResponsesAsync()
    {
        try
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                switch (response.KindCase)
                {
                    case BackupResponse.KindOneofCase.QueryResult:
                        TaskCompletionSource<byte[]> next;
                        lock (pendingQueries)
                        {
                            if (!pendingQueries.TryDequeue(out next!)) throw new InvalidDataException("The server answered a query that was not asked.");
                        }
                        next.SetResult(response.QueryResult.Present.ToByteArray());
                        break;
                    case BackupResponse.KindOneofCase.Committed:
                        committed.TrySetResult(response.Committed);
                        break;
                    default:
                        throw new InvalidDataException($"Unexpected message from the server: {response.KindCase}.");
                }
            }
            throw new InvalidDataException("The server ended the backup without committing it.");
        }
        catch (Exception e)
        {
            // Everyone waiting learns why: the server's status (DataLoss, InvalidArgument, ...) or the cut.
            lock (pendingQueries)
            {
                while (pendingQueries.TryDequeue(out var waiting)) waiting.TrySetException(e);
            }
            committed.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        call.Dispose();
        if (reader is not null) await reader;
        writeLock.Dispose();
    }
}
