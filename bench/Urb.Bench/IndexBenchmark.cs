using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Net.Client;
using StackExchange.Redis;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;

namespace Urb.Bench;

/// <summary>
/// Batch lookups per second in Urb.DedupIndex for N registered chunk IDs: cold (Redis flushed,
/// so every answer comes from PostgreSQL and refills the cache) and warm (every answer from Redis).
/// </summary>
public static class IndexBenchmark
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = (int)arguments.Number("count", 1_000_000);
        var batch = (int)arguments.Number("batch", 50_000);
        var streams = (int)arguments.Number("streams", 2);
        using var channel = GrpcChannel.ForAddress(arguments.Required("index"), new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20, MaxSendMessageSize = 64 << 20 });
        var index = new DedupIndex.DedupIndexClient(channel);
        var tenant = Guid.NewGuid().ToString();
        var ids = RandomNumberGenerator.GetBytes(count * 32);

        var register = new Measurement();
        for (var at = 0; at < count; at += 10_000)
        {
            var request = new RegisterChunksRequest { TenantId = tenant };
            for (var i = at; i < Math.Min(count, at + 10_000); i++)
            {
                request.Chunks.Add(new ChunkLocation { ChunkId = ByteString.CopyFrom(ids, i * 32, 32), Pack = "0123456789abcdef01234567", Offset = 24 + i, Length = 100, PlainLength = 100 });
            }
            await index.RegisterChunksAsync(request);
        }
        Report("register", count, register.Stop());

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(arguments.Required("redis") + ",allowAdmin=true"))
        {
            foreach (var endpoint in redis.GetEndPoints()) await redis.GetServer(endpoint).FlushAllDatabasesAsync();
        }
        var cold = new Measurement();
        var foundCold = await LookUpAllAsync(index, tenant, ids, count, batch, streams);
        Report("lookup cold (PostgreSQL, refilling Redis)", count, cold.Stop());

        var warm = new Measurement();
        var foundWarm = await LookUpAllAsync(index, tenant, ids, count, batch, streams);
        Report("lookup warm (Redis)", count, warm.Stop());
        return foundCold == count && foundWarm == count ? 0 : 1;
    }

    private static async Task<long> LookUpAllAsync(DedupIndex.DedupIndexClient index, string tenant, byte[] ids, int count, int batch, int streams)
    {
        long found = 0;
        var next = -1;
        var batches = (count + batch - 1) / batch;
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                var from = b * batch;
                var size = Math.Min(batch, count - from);
                var answer = await index.FindChunksAsync(new FindChunksRequest
                {
                    TenantId = tenant,
                    ChunkIds = UnsafeByteOperations.UnsafeWrap(ids.AsMemory(from * 32, size * 32)),
                });
                Interlocked.Add(ref found, answer.Present.Span.IndexOf((byte)0) < 0 ? size : answer.Present.ToByteArray().Count(p => p == 1));
            }
        }));
        return found;
    }

    private static void Report(string phase, int count, (double Seconds, double ClientCpuSeconds) measured) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase}: {count} IDs in {measured.Seconds:F2} s = {count / measured.Seconds:F0} IDs/s (bench client CPU {measured.ClientCpuSeconds:F2} s)"));
}
