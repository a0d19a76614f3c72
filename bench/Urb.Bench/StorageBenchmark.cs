using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;

namespace Urb.Bench;

/// <summary>
/// Write and read throughput of Urb.Storage through its gRPC API, for real files: the data set's
/// files are cut into 1 MiB chunks (fixed size: this measures storage, not chunking), their IDs
/// computed beforehand (the client's cost is not the service's), then written in batches over
/// several concurrent streams and read back in the same way.
/// </summary>
public static class StorageBenchmark
{
    private const int ChunkSize = 1024 * 1024;

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var limit = arguments.Number("bytes", 1L << 30);
        var streams = (int)arguments.Number("streams", 2);
        var batchBytes = arguments.Number("batch-mib", 32) * 1024 * 1024;
        using var channel = GrpcChannel.ForAddress(arguments.Required("storage"), new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 << 20,
            HttpHandler = new SocketsHttpHandler { InitialHttp2StreamWindowSize = 8 << 20, EnableMultipleHttp2Connections = true },
        });
        var storage = new Storage.StorageClient(channel);
        var tenant = Guid.NewGuid();
        var key = (await storage.GetChunkIdKeyAsync(new GetChunkIdKeyRequest { TenantId = tenant.ToString() })).Key.ToByteArray();

        var precompress = arguments.Number("precompress", 0) == 1;
        var chunks = LoadChunks(arguments.Required("data"), limit, key);
        var total = chunks.Sum(c => (long)c.Data.Length);
        Console.WriteLine($"data: {chunks.Count} chunks, {Measurement.MiB(total)} MiB; {streams} streams, batches of {Measurement.MiB(batchBytes)} MiB; "
            + (precompress ? "chunks sent zstd-compressed (as agents send them)" : "chunks sent raw (the service compresses)"));
        var wire = precompress ? chunks.Select(c => Compressed(c.Data)).ToList() : chunks.Select(c => (c.Data, false)).ToList();

        var batches = Batch(chunks.Select((c, i) => (c.Id, wire[i].Item1, wire[i].Item2)).ToList(), batchBytes).ToList();
        var write = new Measurement();
        var locations = new ChunkLocation[batches.Count][];
        await ForEachConcurrently(batches.Count, streams, async i => locations[i] = await WriteBatchAsync(storage, tenant, batches[i]));
        var (writeSeconds, writeCpu) = write.Stop();
        var stored = locations.Sum(l => l.Sum(x => (long)x.Length));
        Report("write", total, writeSeconds, writeCpu, $"stored {Measurement.MiB(stored)} MiB ({(double)stored / total:P1} of plaintext)");

        var read = new Measurement();
        long readBytes = 0;
        await ForEachConcurrently(locations.Length, streams, async i => Interlocked.Add(ref readBytes, await ReadBatchAsync(storage, tenant, locations[i])));
        var (readSeconds, readCpu) = read.Stop();
        Report("read", readBytes, readSeconds, readCpu, "");
        return readBytes == total ? 0 : 1;
    }

    private static List<(byte[] Id, byte[] Data)> LoadChunks(string directory, long limit, byte[] key)
    {
        var chunks = new List<(byte[] Id, byte[] Data)>();
        long loaded = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Order(StringComparer.Ordinal))
        {
            var content = File.ReadAllBytes(file);
            for (var at = 0; at < content.Length && loaded < limit; at += ChunkSize)
            {
                var data = content.AsSpan(at, (int)Math.Min(Math.Min(ChunkSize, content.Length - at), limit - loaded)).ToArray();
                chunks.Add((ChunkId.Compute(key, data), data));
                loaded += data.Length;
            }
            if (loaded >= limit) break;
        }
        return chunks;
    }

    private static (byte[], bool) Compressed(byte[] data)
    {
        var frame = new byte[Zstd.CompressBound(data.Length)];
        var length = Zstd.Compress(data, frame, 1);
        return length < data.Length ? (frame[..length], true) : (data, false);
    }

    private static IEnumerable<List<(byte[] Id, byte[] Data, bool Compressed)>> Batch(List<(byte[] Id, byte[] Data, bool Compressed)> chunks, long batchBytes)
    {
        var batch = new List<(byte[] Id, byte[] Data, bool Compressed)>();
        long size = 0;
        foreach (var chunk in chunks)
        {
            batch.Add(chunk);
            size += chunk.Data.Length;
            if (size < batchBytes) continue;
            yield return batch;
            (batch, size) = ([], 0);
        }
        if (batch.Count > 0) yield return batch;
    }

    private static async Task<ChunkLocation[]> WriteBatchAsync(Storage.StorageClient storage, Guid tenant, List<(byte[] Id, byte[] Data, bool Compressed)> batch)
    {
        using var call = storage.WriteChunks();
        await call.RequestStream.WriteAsync(new WriteChunksRequest { Header = new WriteHeader { TenantId = tenant.ToString() } });
        foreach (var (id, data, compressed) in batch)
        {
            await call.RequestStream.WriteAsync(new WriteChunksRequest
            {
                Frame = new ChunkFrame { ChunkId = UnsafeByteOperations.UnsafeWrap(id), Data = UnsafeByteOperations.UnsafeWrap(data), EndOfChunk = true, Compressed = compressed },
            });
        }
        await call.RequestStream.CompleteAsync();
        return (await call.ResponseAsync).Locations.ToArray();
    }

    /// <summary>The service reads at most this many chunks per call (many small files make batches of more).</summary>
    private const int MaxChunksPerRead = 4096;

    private static async Task<long> ReadBatchAsync(Storage.StorageClient storage, Guid tenant, ChunkLocation[] locations)
    {
        long bytes = 0;
        foreach (var part in locations.Chunk(MaxChunksPerRead))
        {
            using var call = storage.ReadChunks(new ReadChunksRequest { TenantId = tenant.ToString(), Chunks = { part } });
            await foreach (var piece in call.ResponseStream.ReadAllAsync()) bytes += piece.Data.Length;
        }
        return bytes;
    }

    private static async Task ForEachConcurrently(int count, int concurrency, Func<int, Task> work)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await work(i);
        }));
    }

    private static void Report(string phase, long bytes, double seconds, double cpu, string note) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase}: {Measurement.MiB(bytes)} MiB in {seconds:F2} s = {bytes / 1048576.0 / seconds:F0} MiB/s (bench client CPU {cpu:F2} s) {note}"));
}
