using System.Security.Cryptography;
using Google.Protobuf;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>Random IDs, locations and entries for the dedup index tests, and a client of the running index.</summary>
internal static class DedupIndexTestData
{
    public const string Service = "Urb.DedupIndex";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static DedupIndex.DedupIndexClient Client(UrbStack stack) => new(stack.Channel(stack.Ports[Service].GrpcAddress));

    /// <summary>A tenant no other test uses, so tests never see each other's rows or keys.</summary>
    public static string NewTenant() => Guid.NewGuid().ToString();

    public static byte[] RandomId() => RandomNumberGenerator.GetBytes(32);

    public static byte[][] RandomIds(int count) => Enumerable.Range(0, count).Select(_ => RandomId()).ToArray();

    public static ByteString Pack(params byte[][] ids) => ByteString.CopyFrom(ids.SelectMany(id => id).ToArray());

    public static ChunkLocation Location(byte[] id, int length = 1000, string? pack = null, long offset = 0) => new()
    {
        ChunkId = ByteString.CopyFrom(id),
        Pack = pack ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
        Offset = offset,
        Length = length,
        PlainLength = length * 2,
    };

    public static FileEntry Entry(byte[] hash, long size, params byte[][] chunks) => new()
    {
        FileHash = ByteString.CopyFrom(hash),
        Size = size,
        ChunkIds = Pack(chunks),
    };

    public static async Task RegisterAsync(DedupIndex.DedupIndexClient index, string tenant, params byte[][] ids) =>
        await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { ids.Select(id => Location(id)) } });

    public static async Task<byte[]> FindAsync(DedupIndex.DedupIndexClient index, string tenant, params byte[][] ids) =>
        (await index.FindChunksAsync(new FindChunksRequest { TenantId = tenant, ChunkIds = Pack(ids) })).Present.ToByteArray();

    /// <summary>
    /// Waits until the index's own Redis connection is up (its readiness body says the redis
    /// check is Healthy): after another test restarted Redis, the multiplexer reconnects with a
    /// backoff, and until then the index rightly answers without the cache.
    /// </summary>
    /// <summary>One garbage collection run: the marks of one client (or none), then the sweep with now = cutoff.</summary>
    public static async Task<SweepResponse> SweepRunAsync(
        DedupIndex.DedupIndexClient index, string tenant, DateTimeOffset cutoff, string? client, params byte[][] marked)
    {
        var run = Guid.NewGuid().ToString();
        await index.MarkObjectsAsync(new MarkObjectsRequest { TenantId = tenant, RunId = run, ClientId = client ?? "", ChunkIds = Pack(marked), First = true });
        var at = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(cutoff);
        return await index.SweepAsync(new SweepRequest { TenantId = tenant, RunId = run, Cutoff = at, Now = at });
    }

    public static async Task WaitUntilCacheConnectedAsync(ServicePorts ports)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var body = await Http.GetStringAsync(ports.ReadyUrl);
                if (body.Contains("\"redis\":{\"status\":\"Healthy\"", StringComparison.Ordinal)) return;
            }
            catch (HttpRequestException)
            {
                // Not answering yet; try again.
            }
            Assert.True(DateTime.UtcNow < deadline, "the index did not reconnect to Redis");
            await Task.Delay(100);
        }
    }

    /// <summary>The Redis keys the index uses (the tenant is a Redis Cluster hash tag).</summary>
    public static string ChunkSetKey(string tenant, long generation = 0) => $"urb:dedup:{{{tenant}}}:g{generation}:chunks";

    public static string FileEntryKey(string tenant, byte[] hash, long generation = 0) => $"urb:dedup:{{{tenant}}}:g{generation}:fe:{Convert.ToHexStringLower(hash)}";
}
