using System.Buffers;
using System.Collections.Concurrent;
using Urb.Domain.Content;
using Urb.Domain.Content.Chunking;

namespace Urb.Agent.Backup;

/// <summary>
/// Reads files, cuts them into content-defined chunks, names each by its keyed BLAKE3 ID, asks
/// the server in batches which it lacks and uploads only those, zstd-compressed. Several
/// workers (one per core) each read whole files; the stream to the server is shared.
/// </summary>
public sealed class ContentUploader(BackupChannel channel, BackupCounters counters, int compressionLevel, int workers)
{
    /// <summary>A batch is queried when it holds this many chunks or bytes: few round trips, bounded memory per worker.</summary>
    private const int BatchChunks = 256;
    private const int BatchBytes = 16 * 1024 * 1024;

    private readonly ContentDefinedChunker chunker = ContentDefinedChunker.Default;

    /// <summary>Chunks already handled by this backup (queried or queued by a worker): each is asked about once.</summary>
    private readonly ConcurrentDictionary<byte[], byte> seen = new(ChunkIdComparer.Instance);

    /// <summary>Reads every file in the list; a file that cannot be read is marked failed and reported.</summary>
    public async Task ReadAllAsync(IReadOnlyList<FileItem> files, Action<FileItem, string> onFailure, CancellationToken cancellationToken)
    {
        var next = -1;
        var tasks = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(async () =>
        {
            var worker = new Worker(this, channel);
            try
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < files.Count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await ReadFileAsync(files[index], worker, onFailure, cancellationToken);
                }
                await worker.FlushAsync();
                await worker.Uploading;
            }
            finally
            {
                worker.Current.Release();
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(tasks);
    }

    /// <summary>Asks the server about IDs (each once per backup); returns those it lacks.</summary>
    public async Task<List<byte[]>> FindMissingAsync(IEnumerable<byte[]> ids)
    {
        var fresh = ids.Where(id => seen.TryAdd(id, 0)).ToList();
        var missing = new List<byte[]>();
        foreach (var slice in fresh.Chunk(8192))
        {
            var present = await channel.QueryAsync(slice);
            missing.AddRange(slice.Where((_, i) => !present[i]));
        }
        return missing;
    }

    /// <summary>Forgets that these IDs were asked about, so they are asked again (after a re-read).</summary>
    public void Forget(IEnumerable<byte[]> ids)
    {
        foreach (var id in ids) seen.TryRemove(id, out _);
    }

    /// <summary>Uploads one object, compressed when that makes it smaller.</summary>
    public async Task UploadAsync(byte[] id, ReadOnlyMemory<byte> plaintext, bool tree)
    {
        var compressed = ArrayPool<byte>.Shared.Rent(Zstd.CompressBound(plaintext.Length));
        try
        {
            var length = Zstd.Compress(plaintext.Span, compressed, compressionLevel);
            if (length < plaintext.Length)
            {
                await channel.UploadAsync(id, compressed.AsMemory(0, length), compressed: true, tree);
            }
            else
            {
                await channel.UploadAsync(id, plaintext, compressed: false, tree);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
        counters.Uploaded(plaintext.Length);
    }

    private async Task ReadFileAsync(FileItem file, Worker worker, Action<FileItem, string> onFailure, CancellationToken cancellationToken)
    {
        counters.CurrentFile = file.AbsolutePath;
        var ids = new List<byte[]>();
        try
        {
            await using var stream = new FileStream(file.AbsolutePath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.SequentialScan,
                BufferSize = 0,
            });
            long size = 0;
            await foreach (var chunk in StreamChunker.ReadChunksAsync(stream, chunker, cancellationToken))
            {
                var id = ChunkId.Compute(channel.ChunkIdKey, chunk.Span);
                ids.Add(id);
                size += chunk.Length;
                counters.Read(chunk.Length);
                if (!seen.TryAdd(id, 0)) continue;
                worker.Current.Add(id, chunk.Span);
                if (worker.Current.IsFull) await worker.FlushAsync();
            }
            file.Node.Size = size;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file.Failed = true;
            onFailure(file, e.Message);
            return;
        }
        file.Node.ChunkIds = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(ChunkId.Pack(ids));
        file.WasRead = true;
        counters.FileRead();
    }

    /// <summary>
    /// One reading worker: its batch being filled, and the previous one waiting for the server's
    /// answer and uploading meanwhile (so reading never waits for a round trip; at most two
    /// batches per worker are in memory).
    /// </summary>
    private sealed class Worker(ContentUploader uploader, BackupChannel channel)
    {
        public Batch Current { get; private set; } = new();

        public Task Uploading { get; private set; } = Task.CompletedTask;

        public async Task FlushAsync()
        {
            if (Current.Count == 0) return;
            var full = Current;
            Current = new Batch();
            var answer = await channel.SendQueryAsync(full.Ids);
            await Uploading;
            Uploading = uploader.UploadMissingAsync(full, answer);
        }
    }

    private async Task UploadMissingAsync(Batch batch, Task<bool[]> answer)
    {
        try
        {
            var present = await answer;
            var known = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (present[i]) known++;
                else await UploadAsync(batch.Ids[i], batch.Data(i), tree: false);
            }
            counters.Known(known);
        }
        finally
        {
            batch.Release();
        }
    }

    /// <summary>Chunks waiting for the server's answer: their IDs and a copy of their bytes in pooled arrays.</summary>
    private sealed class Batch
    {
        private readonly List<(byte[] Buffer, int Length)> data = [];
        private long bytes;

        public List<byte[]> Ids { get; } = [];

        public int Count => Ids.Count;

        public bool IsFull => Ids.Count >= BatchChunks || bytes >= BatchBytes;

        public void Add(byte[] id, ReadOnlySpan<byte> chunk)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(chunk.Length);
            chunk.CopyTo(buffer);
            Ids.Add(id);
            data.Add((buffer, chunk.Length));
            bytes += chunk.Length;
        }

        public ReadOnlyMemory<byte> Data(int index) => data[index].Buffer.AsMemory(0, data[index].Length);

        public void Release()
        {
            foreach (var (buffer, _) in data) ArrayPool<byte>.Shared.Return(buffer);
            data.Clear();
            Ids.Clear();
            bytes = 0;
        }
    }
}
