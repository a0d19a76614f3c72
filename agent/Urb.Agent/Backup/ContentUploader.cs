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
public sealed partial class ContentUploader(BackupChannel channel, BackupCounters counters, int compressionLevel, int workers)
{
    /// <summary>The most IDs one query may name (the server's limit).</summary>
    public const int MaxQueryIds = 8192;

    private static readonly ContentDefinedChunker Chunker = ContentDefinedChunker.Default;

    /// <summary>The client's compression dictionary: objects below <see cref="DictionaryTraining.CompressBelowBytes"/> (not trees) are compressed with it.</summary>
    public ZstdDict? Dictionary { get; init; }

    /// <summary>Chunks already handled by this backup (queried or queued by a worker): each is asked about once.</summary>
    private readonly ConcurrentDictionary<byte[], byte> seen = new(ChunkIdComparer.Instance);

    /// <summary>Reads every file in the list; a file that cannot be read is marked failed and reported.</summary>
    public async Task ReadAllAsync(IReadOnlyList<FileItem> files, Action<FileItem, string> onFailure, CancellationToken cancellationToken)
    {
        var next = -1;
        var tasks = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(async () =>
        {
            await using var worker = new Worker(this, channel);
            int index;
            while ((index = Interlocked.Increment(ref next)) < files.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await ReadFileAsync(files[index], worker, onFailure, cancellationToken);
            }
            await worker.FlushAsync();
            await worker.Uploading;
        }, cancellationToken)).ToList();
        await Task.WhenAll(tasks);
    }

    /// <summary>Asks the server about IDs (each once per backup); returns those it lacks.</summary>
    /// <param name="reused">The IDs are chunks of files this backup did not read (see <see cref="Contracts.Agent.V1.ChunkQuery.Reused"/>).</param>
    public async Task<List<byte[]>> FindMissingAsync(IEnumerable<byte[]> ids, bool reused = false)
    {
        var fresh = ids.Where(id => seen.TryAdd(id, 0)).ToList();
        var missing = new List<byte[]>();
        foreach (var slice in fresh.Chunk(MaxQueryIds))
        {
            var present = await channel.QueryAsync(slice, reused);
            missing.AddRange(slice.Where((_, i) => !present[i]));
        }
        return missing;
    }

    /// <summary>Forgets that these IDs were asked about, so they are asked again (after a re-read).</summary>
    public void Forget(IEnumerable<byte[]> ids)
    {
        foreach (var id in ids) seen.TryRemove(id, out _);
    }

    /// <summary>Uploads one object (a tree), compressed when that makes it smaller.</summary>
    public async Task UploadAsync(byte[] id, ReadOnlyMemory<byte> plaintext, bool tree)
    {
        var compressionBuffer = ArrayPool<byte>.Shared.Rent(Zstd.CompressBound(plaintext.Length));
        try
        {
            await UploadAsync(id, plaintext, tree, compressionBuffer, compressor: null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressionBuffer);
        }
    }

    /// <summary>Uploads one object through <paramref name="compressionBuffer"/> (at least <see cref="Zstd.CompressBound"/> long).</summary>
    private async Task UploadAsync(byte[] id, ReadOnlyMemory<byte> plaintext, bool tree, byte[] compressionBuffer, ZstdCompressor? compressor)
    {
        var dictionary = !tree && plaintext.Length < DictionaryTraining.CompressBelowBytes ? Dictionary : null;
        var length = compressor is null
            ? Zstd.Compress(plaintext.Span, compressionBuffer, compressionLevel, dictionary)
            : compressor.Compress(plaintext.Span, compressionBuffer, compressionLevel, dictionary);
        if (length < plaintext.Length)
        {
            await channel.UploadAsync(id, compressionBuffer.AsMemory(0, length), compressed: true, tree);
        }
        else
        {
            await channel.UploadAsync(id, plaintext, compressed: false, tree);
        }
        counters.Uploaded(plaintext.Length);
    }

    /// <summary>Once the server has answered the query of a batch, uploads the chunks it lacks; then the batch is free again.</summary>
    private async Task UploadMissingAsync(UploadBatch batch, Task<bool[]> answer, byte[] compressionBuffer, ZstdCompressor compressor)
    {
        try
        {
            var present = await answer;
            var known = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (present[i]) known++;
                else await UploadAsync(batch.Ids[i], batch.Data(i), tree: false, compressionBuffer, compressor);
            }
            counters.Known(known);
        }
        finally
        {
            batch.Clear();
        }
    }
}
