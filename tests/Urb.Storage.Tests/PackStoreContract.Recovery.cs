using Microsoft.Extensions.Logging.Abstractions;
using Urb.Storage.Keys;
using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

/// <summary>
/// The contract after a crash: what a writer that died leaves behind is finished by
/// <see cref="PackRecovery"/> on a new store over the same directory.
/// </summary>
public abstract partial class PackStoreContract
{
    [Theory]
    [InlineData("part of a record header")]
    [InlineData("a header and part of the data")]
    [InlineData("all but the last byte of a record")]
    [InlineData("a corrupt record, then a good one")]
    [InlineData("another tenant's record")]
    public async Task FinishAsync_WriterDiedLeavingTornTail_KeepsExactlyTheCompleteRecordsAndSeals(string tail)
    {
        var keys = TestKeys.NewTenant();
        var codec = new ChunkCodec(1);
        var store = NewStore();
        var writer = new PackWriter(store, TestKeys.Options(1024 * 1024), NullLogger<PackWriter>.Instance);
        var written = new List<(PackLocation Location, byte[] Data)>();
        // Until the first pack is sealed (at 1 MiB), then a few batches more into the second.
        for (var batch = 0; written.Select(w => w.Location.Pack).Distinct().Count() < 2 || batch % 4 != 0; batch++)
        {
            byte[][] chunks = [TestKeys.RandomBytes(Random.Shared.Next(100_000, 200_000)), TestKeys.CompressibleBytes(50_000 + batch), TestKeys.RandomBytes(Random.Shared.Next(1, 5000))];
            var locations = await writer.AppendDurablyAsync(keys.TenantId, [.. chunks.Select(c => TestKeys.Seal(codec, keys, c))], Ct);
            written.AddRange(locations.Zip(chunks));
        }
        var open = Assert.Single(await ListAsync(store), p => !p.Sealed).Name;
        var next = TestKeys.Seal(codec, keys, TestKeys.RandomBytes(10_000)).Record;
        byte[] torn = tail switch
        {
            "part of a record header" => next[..10],
            "a header and part of the data" => next[..(PackFormat.RecordHeaderSize + 5000)],
            "all but the last byte of a record" => next[..^1],
            "a corrupt record, then a good one" => [.. Flipped(next, PackFormat.RecordHeaderSize + 100), .. next],
            "another tenant's record" => TestKeys.Seal(codec, TestKeys.NewTenant(), TestKeys.RandomBytes(10_000)).Record,
            _ => throw new ArgumentOutOfRangeException(nameof(tail)),
        };
        await AppendBehindStoreAsync(Root, open, torn);

        // The process dies: the writer is never disposed (it would seal), the store just goes away.
        await DropAsync(store);
        var restarted = NewStore();
        var recovery = new PackRecovery(restarted, new PackIndexReader(restarted), TestKeys.KeyRingWith(keys), codec, NullLogger<PackRecovery>.Instance);
        await recovery.FinishAsync(open, Ct);

        var listed = await ListAsync(restarted);
        Assert.Equal(2, listed.Count);
        Assert.All(listed, p => Assert.True(p.Sealed, $"{p.Name} is still open"));
        var contents = await new PackIndexReader(restarted).ReadAsync(open, isIntact: null, trustTrailer: true, Ct);
        Assert.True(contents.Sealed);
        var expected = written.Where(w => w.Location.Pack == open).Select(w => w.Location.Entry).ToList();
        PackAssert.SameEntries(expected, contents.Entries);
        Assert.Equal(expected[^1].Offset + expected[^1].Length, contents.ValidLength);
        Assert.Equal(contents.ValidLength + 8 + (expected.Count * PackFormat.TrailerEntrySize) + PackFormat.FooterSize, await restarted.GetLengthAsync(open, Ct));
        foreach (var (location, data) in written)
        {
            var record = await ReadAsync(restarted, location.Pack, location.Entry.Offset, location.Entry.Length);
            Bytes.Equal(data, codec.Open(keys, record, location.Entry.ChunkId));
        }
    }

    [Fact]
    public async Task FinishAsync_PackWithTrailerButNeverRenamed_SealsIt()
    {
        var keys = TestKeys.NewTenant();
        var codec = new ChunkCodec(1);
        var store = NewStore();
        var pack = PackName.New(keys.TenantId);
        var chunk = TestKeys.Seal(codec, keys, TestKeys.RandomBytes(4000));
        var entry = new PackEntry(chunk.ChunkId, PackFormat.HeaderSize, chunk.Record.Length, chunk.PlainLength);
        await using (var appender = await store.CreateAsync(pack, Ct))
        {
            // PackWriter's seal: trailer appended, then the process dies before SealAsync.
            await appender.AppendAsync(PackFormat.Header(keys.TenantId), Ct);
            await appender.AppendAsync(chunk.Record, Ct);
            await appender.AppendAsync(PackFormat.Trailer([entry], appender.Length), Ct);
            await appender.FlushDurableAsync(Ct);
        }
        await DropAsync(store);
        var restarted = NewStore();
        var recovery = new PackRecovery(restarted, new PackIndexReader(restarted), TestKeys.KeyRingWith(keys), codec, NullLogger<PackRecovery>.Instance);

        await recovery.FinishAsync(pack, Ct);

        Assert.True(Assert.Single(await ListAsync(restarted)).Sealed, "A pack whose trailer was written but which was never sealed stays open after recovery.");
    }

    [Fact]
    public async Task FinishAsync_PackWithoutCompleteHeader_DeletesIt()
    {
        var keys = TestKeys.NewTenant();
        var store = NewStore();
        var pack = PackName.New(keys.TenantId);
        await using (var appender = await store.CreateAsync(pack, Ct))
        {
            await appender.AppendAsync(PackFormat.Header(keys.TenantId).AsMemory(0, 10), Ct);
            await appender.FlushDurableAsync(Ct);
        }
        await DropAsync(store);
        var restarted = NewStore();
        var recovery = new PackRecovery(restarted, new PackIndexReader(restarted), TestKeys.KeyRingWith(keys), new ChunkCodec(1), NullLogger<PackRecovery>.Instance);

        await recovery.FinishAsync(pack, Ct);

        Assert.Empty(await ListAsync(restarted));
        await Assert.ThrowsAsync<PackNotFoundException>(() => restarted.GetLengthAsync(pack, Ct));
    }

    [Fact]
    public async Task StartAsync_PacksLeftOpenByDeadWriters_FinishesEveryOneInTheBackground()
    {
        var codec = new ChunkCodec(1);
        var tenants = new[] { TestKeys.NewTenant(), TestKeys.NewTenant() };
        var store = NewStore();
        var writer = new PackWriter(store, TestKeys.Options(64L * 1024 * 1024), NullLogger<PackWriter>.Instance);
        var written = new List<(TenantKeys Keys, PackLocation Location, byte[] Data)>();
        foreach (var keys in tenants)
        {
            byte[][] chunks = [TestKeys.RandomBytes(30_000), TestKeys.CompressibleBytes(30_000)];
            var locations = await writer.AppendDurablyAsync(keys.TenantId, [.. chunks.Select(c => TestKeys.Seal(codec, keys, c))], Ct);
            written.AddRange(locations.Zip(chunks, (l, c) => (keys, l, c)));
        }
        var empty = PackName.New(tenants[0].TenantId);
        await (await store.CreateAsync(empty, Ct)).DisposeAsync();
        Assert.Equal(3, (await ListAsync(store)).Count(p => !p.Sealed));
        await DropAsync(store);

        var restarted = NewStore();
        using var recovery = new PackRecovery(restarted, new PackIndexReader(restarted), TestKeys.KeyRingWith(tenants), codec, NullLogger<PackRecovery>.Instance);
        await recovery.StartAsync(Ct);
        await recovery.ExecuteTask!.WaitAsync(Ct);
        await recovery.StopAsync(Ct);

        var listed = await ListAsync(restarted);
        Assert.Equal(tenants.Select(t => t.TenantId).Order(), listed.Select(p => p.Name.Tenant).Order());
        Assert.All(listed, p => Assert.True(p.Sealed));
        foreach (var (keys, location, data) in written)
        {
            var record = await ReadAsync(restarted, location.Pack, location.Entry.Offset, location.Entry.Length);
            Bytes.Equal(data, codec.Open(keys, record, location.Entry.ChunkId));
        }
    }

    private static byte[] Flipped(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0x01;
        return copy;
    }
}
