using Urb.Domain.Content;

namespace Urb.Agent.Backup;

public sealed partial class ContentUploader
{
    /// <summary>A batch is queried when it holds this many chunks, or when its buffer has no room left to read into.</summary>
    private const int BatchChunks = 256;

    /// <summary>
    /// Each worker's two batch buffers: twice the longest chunk, so a batch keeps at least one
    /// chunk's worth before it must be queried (docs/architecture.md, "The agent's memory").
    /// </summary>
    private static readonly int BatchBytes = 2 * Chunker.Parameters.MaxSize;

    /// <summary>The chunker cuts where it would in the whole content when it sees this many bytes, or all that is left.</summary>
    private static readonly int Lookahead = Chunker.Parameters.MaxSize;

    /// <summary>
    /// Reads one file into the worker's batch, cuts and names its chunks, and keeps those this
    /// backup has not handled yet. Reads are synchronous: the worker is one of a core's worth,
    /// and a read from the page cache costs less than handing it to another thread.
    /// </summary>
    private async Task ReadFileAsync(FileItem file, Worker worker, Action<FileItem, string> onFailure, CancellationToken cancellationToken)
    {
        counters.CurrentFile = file.AbsolutePath;
        var ids = new List<byte[]>();
        try
        {
            using var handle = File.OpenHandle(
                file.AbsolutePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
            long offset = 0;
            var atEnd = false;
            while (true)
            {
                while (!atEnd && worker.Current.PendingLength < Lookahead)
                {
                    if (worker.Current.Unfilled.IsEmpty) await worker.MakeRoomAsync();
                    var read = RandomAccess.Read(handle, worker.Current.Unfilled, offset);
                    if (read == 0) atEnd = true;
                    worker.Current.Filled(read);
                    offset += read;
                }
                var batch = worker.Current;
                if (batch.PendingLength == 0) break;
                cancellationToken.ThrowIfCancellationRequested();
                var cut = Chunker.NextCut(batch.Pending);
                var id = ChunkId.Compute(channel.ChunkIdKey, batch.Pending[..cut]);
                ids.Add(id);
                counters.Read(cut);
                if (!seen.TryAdd(id, 0))
                {
                    batch.Skip(cut);
                    continue;
                }
                batch.Keep(id, cut);
                if (batch.IsFull) await worker.FlushAsync();
            }
            file.Node.Size = offset;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            worker.Current.DropPending();
            file.Failed = true;
            onFailure(file, e.Message);
            return;
        }
        file.Node.ChunkIds = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(ChunkId.Pack(ids));
        file.WasRead = true;
        counters.FileRead();
    }

    /// <summary>
    /// One reading worker: its batch being filled, and the other one waiting for the server's
    /// answer and uploading meanwhile (so reading never waits for a round trip). The two batch
    /// buffers, the compression buffer and context are the worker's own, made once per backup.
    /// </summary>
    private sealed class Worker(ContentUploader uploader, BackupChannel channel) : IAsyncDisposable
    {
        private readonly ZstdCompressor compressor = new();

        private UploadBatch spare = new(BatchBytes, BatchChunks);

        public UploadBatch Current { get; private set; } = new(BatchBytes, BatchChunks);

        private byte[] CompressionBuffer { get; } = GC.AllocateUninitializedArray<byte>(Zstd.CompressBound(Lookahead));

        public Task Uploading { get; private set; } = Task.CompletedTask;

        /// <summary>The current buffer is read to its end: a batch that keeps nothing starts over, one that does is queried.</summary>
        public async Task MakeRoomAsync()
        {
            if (Current.IsEmpty) Current.Compact();
            else await FlushAsync();
        }

        /// <summary>Queries the current batch, then (once the previous upload is done with it) reads on into the other.</summary>
        public async Task FlushAsync()
        {
            if (Current.IsEmpty) return;
            var full = Current;
            var answer = await channel.SendQueryAsync(full.Ids);
            await Uploading;
            spare.TakePendingFrom(full);
            (Current, spare) = (spare, full);
            Uploading = uploader.UploadMissingAsync(full, answer, CompressionBuffer, compressor);
        }

        /// <summary>Frees the compression context once no upload uses it (also when reading failed).</summary>
        public async ValueTask DisposeAsync()
        {
            await Uploading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            compressor.Dispose();
        }
    }
}
