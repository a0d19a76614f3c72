using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Content;

namespace Urb.Agent.Backup;

/// <summary>
/// The one stream of a backup (Backups.Run): queries answered in order, uploads sent in
/// frames, writes from several workers serialised. Bytes sent are counted for the summary.
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

    private BackupChannel(AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call, CancellationToken cancellationToken) =>
        (this.call, this.cancellationToken) = (call, cancellationToken);

    public string BackupId { get; private set; } = "";

    /// <summary>The tenant's key for chunk and tree IDs.</summary>
    public byte[] ChunkIdKey { get; private set; } = [];

    /// <summary>The server takes progress messages (older servers refuse them).</summary>
    public bool AcceptsProgress { get; private set; }

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
        channel.reader = channel.ReadResponsesAsync();
        return channel;
    }

    /// <summary>Which of the IDs (at most 8192) the server has: one bool per ID.</summary>
    public async Task<bool[]> QueryAsync(IReadOnlyList<byte[]> ids) => await await SendQueryAsync(ids);

    /// <summary>Sends a query and returns (once sent) the task of its answer, so the caller can go on meanwhile.</summary>
    public async Task<Task<bool[]>> SendQueryAsync(IReadOnlyList<byte[]> ids)
    {
        if (ids.Count == 0) return Task.FromResult(Array.Empty<bool>());
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            lock (pendingQueries) pendingQueries.Enqueue(answer);
            await call.RequestStream.WriteAsync(
                new BackupRequest { Query = new ChunkQuery { Ids = UnsafeByteOperations.UnsafeWrap(ChunkId.Pack(ids)) } }, cancellationToken);
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

    /// <summary>Sends one object the server lacks, in frames of at most 1 MiB.</summary>
    public async Task UploadAsync(byte[] id, ReadOnlyMemory<byte> data, bool compressed, bool tree)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
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

    /// <summary>Commits the snapshot; returns it once the server has.</summary>
    public async Task<Snapshot> CommitAsync(BackupCommit commit)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
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
