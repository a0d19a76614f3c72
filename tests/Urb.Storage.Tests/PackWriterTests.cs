using Microsoft.Extensions.Logging.Abstractions;
using Urb.Storage.Keys;
using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

/// <summary>The pack writer over the filesystem store, with a 1 MiB pack target so packs fill up quickly.</summary>
public sealed class PackWriterTests : IDisposable
{
    private const long Target = 1024 * 1024;
    private readonly TempDirectory directory = new();
    private readonly FileSystemPackStore store;
    private readonly ChunkCodec codec = new(1);
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));

    public PackWriterTests() => store = new FileSystemPackStore(directory.Path);

    private CancellationToken Ct => timeout.Token;

    [Fact]
    public async Task AppendDurablyAsync_FiveMebibytes_SealsEachPackOnceItReachesTheTarget()
    {
        var keys = TestKeys.NewTenant();
        await using var writer = NewWriter();

        var written = await WriteAsync(writer, keys, totalBytes: 5 * 1024 * 1024);

        var listed = await ListAsync();
        var sealedPacks = listed.Where(p => p.Sealed).ToList();
        Assert.True(sealedPacks.Count >= 3, $"only {sealedPacks.Count} packs were sealed");
        foreach (var pack in sealedPacks)
        {
            // Sealed by the record that reached the target, not earlier and not later.
            var records = written.Where(w => w.Location.Pack == pack.Name).Select(w => w.Location.Entry).ToList();
            Assert.True(records[^1].Offset + records[^1].Length >= Target, $"{pack.Name} was sealed before reaching the target");
            Assert.True(records[^1].Offset < Target, $"{pack.Name} went on past the target");
        }
        Assert.True(listed.Count(p => !p.Sealed) <= 1);
        Assert.All(listed, p => Assert.Equal(keys.TenantId, p.Name.Tenant));
        var listedNames = listed.Select(p => p.Name.ToString()).Order(StringComparer.Ordinal).ToList();
        var writtenNames = written.Select(w => w.Location.Pack.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(listedNames, writtenNames);
        await AssertReadableAsync(keys, written);
    }

    [Fact]
    public async Task SealedPack_Trailer_ListsExactlyTheChunksWrittenToIt()
    {
        var keys = TestKeys.NewTenant();
        await using var writer = NewWriter();

        var written = await WriteAsync(writer, keys, totalBytes: 3 * 1024 * 1024);

        var reader = new PackIndexReader(store);
        var sealedPacks = (await ListAsync()).Where(p => p.Sealed).Select(p => p.Name).ToList();
        Assert.NotEmpty(sealedPacks);
        foreach (var pack in sealedPacks)
        {
            var contents = await reader.ReadAsync(pack, isIntact: null, trustTrailer: true, Ct);
            Assert.True(contents.Sealed);
            var expected = written.Where(w => w.Location.Pack == pack).Select(w => w.Location.Entry).ToList();
            PackAssert.SameEntries(expected, contents.Entries);
            Assert.Equal(PackFormat.HeaderSize, expected[0].Offset);
            Assert.Equal(expected[^1].Offset + expected[^1].Length, contents.ValidLength);
            var header = new byte[PackFormat.HeaderSize];
            await store.ReadAsync(pack, 0, header, Ct);
            Assert.True(PackFormat.TryReadHeader(header, out var tenant));
            Assert.Equal(keys.TenantId, tenant);
        }
    }

    [Fact]
    public async Task DisposeAsync_OpenPacksOfTwoTenants_SealsBothWithTheirChunks()
    {
        var tenants = new[] { TestKeys.NewTenant(), TestKeys.NewTenant() };
        var writer = NewWriter();
        var written = new List<(TenantKeys Keys, PackLocation Location, byte[] Data)>();
        foreach (var keys in tenants)
        {
            foreach (var (location, data) in await WriteAsync(writer, keys, totalBytes: 100_000))
            {
                written.Add((keys, location, data));
            }
        }
        Assert.All(await ListAsync(), p => Assert.False(p.Sealed));

        await writer.DisposeAsync();

        var listed = await ListAsync();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, p => Assert.True(p.Sealed, $"{p.Name} is still open"));
        var reader = new PackIndexReader(store);
        foreach (var keys in tenants)
        {
            var pack = Assert.Single(listed, p => p.Name.Tenant == keys.TenantId).Name;
            var contents = await reader.ReadAsync(pack, isIntact: null, trustTrailer: true, Ct);
            Assert.True(contents.Sealed);
            PackAssert.SameEntries([.. written.Where(w => w.Location.Pack == pack).Select(w => w.Location.Entry)], contents.Entries);
        }
        foreach (var keys in tenants)
        {
            await AssertReadableAsync(keys, [.. written.Where(w => w.Keys == keys).Select(w => (w.Location, w.Data))]);
        }
    }

    [Fact]
    public async Task AppendDurablyAsync_EightConcurrentCallersOfOneTenant_GetReadableNonOverlappingLocations()
    {
        var keys = TestKeys.NewTenant();
        await using var writer = NewWriter();

        var perTask = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => WriteAsync(writer, keys, totalBytes: 400_000))));

        var written = perTask.SelectMany(w => w).ToList();
        foreach (var pack in written.GroupBy(w => w.Location.Pack))
        {
            var records = pack.Select(w => w.Location.Entry).OrderBy(e => e.Offset).ToList();
            Assert.True(records[0].Offset >= PackFormat.HeaderSize);
            for (var i = 1; i < records.Count; i++)
            {
                Assert.True(records[i - 1].Offset + records[i - 1].Length <= records[i].Offset,
                    $"In {pack.Key}, the record at {records[i - 1].Offset} ({records[i - 1].Length} bytes) overlaps the one at {records[i].Offset}.");
            }
        }
        Assert.True(written.Select(w => w.Location.Pack).Distinct().Count() > 1, "Everything landed in one pack; the test wrote too little.");
        await AssertReadableAsync(keys, written);
    }

    [Fact]
    public async Task AppendDurablyAsync_EmptyBatch_ReturnsNoLocationsAndCreatesNoPack()
    {
        await using var writer = NewWriter();

        var locations = await writer.AppendDurablyAsync(Guid.NewGuid(), [], Ct);

        Assert.Empty(locations);
        Assert.Empty(await ListAsync());
    }

    private PackWriter NewWriter() => new(store, TestKeys.Options(Target), NullLogger<PackWriter>.Instance);

    /// <summary>Batches of a few chunks (mostly incompressible, 16–256 KiB) until <paramref name="totalBytes"/> are written.</summary>
    private async Task<List<(PackLocation Location, byte[] Data)>> WriteAsync(PackWriter writer, TenantKeys keys, long totalBytes)
    {
        var written = new List<(PackLocation, byte[])>();
        long total = 0;
        while (total < totalBytes)
        {
            var batch = Enumerable.Range(0, Random.Shared.Next(1, 5))
                .Select(i => i == 3 ? TestKeys.CompressibleBytes(100_000) : TestKeys.RandomBytes(Random.Shared.Next(16 * 1024, 256 * 1024)))
                .ToList();
            var locations = await writer.AppendDurablyAsync(keys.TenantId, [.. batch.Select(d => TestKeys.Seal(codec, keys, d))], Ct);
            Assert.Equal(batch.Count, locations.Count);
            written.AddRange(locations.Zip(batch));
            total += batch.Sum(d => d.Length);
        }
        return written;
    }

    private async Task AssertReadableAsync(TenantKeys keys, List<(PackLocation Location, byte[] Data)> written)
    {
        foreach (var (location, data) in written)
        {
            Assert.Equal(data.Length, location.Entry.PlainLength);
            var record = new byte[location.Entry.Length];
            await store.ReadAsync(location.Pack, location.Entry.Offset, record, Ct);
            Bytes.Equal(data, codec.Open(keys, record, location.Entry.ChunkId));
        }
    }

    private async Task<List<StoredPack>> ListAsync()
    {
        var packs = new List<StoredPack>();
        await foreach (var pack in store.ListAsync(Ct)) packs.Add(pack);
        return packs;
    }

    public void Dispose()
    {
        store.Dispose();
        timeout.Dispose();
        directory.Dispose();
    }
}
