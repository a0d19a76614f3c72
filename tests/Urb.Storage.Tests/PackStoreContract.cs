using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

/// <summary>
/// What every <see cref="IPackStore"/> provider must do (STYLE.md habit 11). A provider's test
/// class derives from this one, says how to open a store on a directory and how a writer that
/// died mid-record leaves a pack, and adds facts of its own. Each test gets a fresh directory.
/// </summary>
public abstract partial class PackStoreContract : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly List<IPackStore> stores = [];
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));

    /// <summary>A store on <paramref name="directory"/> that owns it (may write).</summary>
    protected abstract IPackStore CreateStore(string directory);

    /// <summary>
    /// Appends <paramref name="bytes"/> to an unsealed pack behind the store's back, the way a
    /// process that died in the middle of a write leaves it.
    /// </summary>
    protected abstract Task AppendBehindStoreAsync(string directory, PackName pack, ReadOnlyMemory<byte> bytes);

    protected string Root => directory.Path;

    protected CancellationToken Ct => timeout.Token;

    /// <summary>A store on this test's directory, dropped when the test ends.</summary>
    protected IPackStore NewStore()
    {
        var store = CreateStore(Root);
        stores.Add(store);
        return store;
    }

    /// <summary>Lets go of a store (its lock, its handles) as a process that stops or dies would.</summary>
    protected static async Task DropAsync(IPackStore store)
    {
        if (store is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
        else if (store is IDisposable disposable) disposable.Dispose();
    }

    [Fact]
    public async Task SealAsync_AfterAppendAndFlush_ReadsBackExactBytesAtOffsets()
    {
        var store = NewStore();
        var pack = PackName.New(Guid.NewGuid());
        byte[][] pieces = [TestKeys.RandomBytes(1), TestKeys.RandomBytes(4096), TestKeys.RandomBytes(100_000)];

        await using (var appender = await store.CreateAsync(pack, Ct))
        {
            Assert.Equal(pack, appender.Pack);
            Assert.Equal(0, appender.Length);
            long expectedLength = 0;
            foreach (var piece in pieces)
            {
                await appender.AppendAsync(piece, Ct);
                expectedLength += piece.Length;
                Assert.Equal(expectedLength, appender.Length);
            }
            await appender.FlushDurableAsync(Ct);
            await appender.SealAsync(Ct);
        }

        var all = pieces.SelectMany(p => p).ToArray();
        Assert.Equal(all.Length, await store.GetLengthAsync(pack, Ct));
        long offset = 0;
        foreach (var piece in pieces)
        {
            Bytes.Equal(piece, await ReadAsync(store, pack, offset, piece.Length));
            offset += piece.Length;
        }
        Bytes.Equal(all[1..5001], await ReadAsync(store, pack, 1, 5000));
        Bytes.Equal(all, await ReadAsync(store, pack, 0, all.Length));
    }

    [Fact]
    public async Task ReadAsync_OpenPack_ReturnsEveryFlushedByte()
    {
        var store = NewStore();
        var pack = PackName.New(Guid.NewGuid());
        var first = TestKeys.RandomBytes(3000);
        var second = TestKeys.RandomBytes(70_000);

        await using (var appender = await store.CreateAsync(pack, Ct))
        {
            await appender.AppendAsync(first, Ct);
            await appender.FlushDurableAsync(Ct);
            Bytes.Equal(first, await ReadAsync(store, pack, 0, first.Length));
            Assert.Equal(first.Length, await store.GetLengthAsync(pack, Ct));

            await appender.AppendAsync(second, Ct);
            await appender.FlushDurableAsync(Ct);
            Bytes.Equal(second, await ReadAsync(store, pack, first.Length, second.Length));
        }

        // Abandoned without sealing: still there, still unsealed, still readable.
        var listed = Assert.Single(await ListAsync(store));
        Assert.Equal(new StoredPack(pack, Sealed: false, first.Length + second.Length), listed);
        Bytes.Equal([.. first, .. second], await ReadAsync(store, pack, 0, first.Length + second.Length));
    }

    [Fact]
    public async Task ListAsync_SealedAndOpenPacksOfSeveralTenants_ShowsEachWithSealedFlagAndLength()
    {
        var store = NewStore();
        var expected = new List<StoredPack>();
        var stillOpen = new List<IPackAppender>();
        for (var t = 0; t < 3; t++)
        {
            var tenant = Guid.NewGuid();
            for (var p = 0; p < 2; p++)
            {
                var pack = PackName.New(tenant);
                var length = 100 + (t * 1000) + (p * 17);
                await using var appender = await store.CreateAsync(pack, Ct);
                await appender.AppendAsync(TestKeys.RandomBytes(length), Ct);
                await appender.SealAsync(Ct);
                expected.Add(new StoredPack(pack, Sealed: true, length));
            }

            var open = PackName.New(tenant);
            var openAppender = await store.CreateAsync(open, Ct);
            stillOpen.Add(openAppender);
            await openAppender.AppendAsync(TestKeys.RandomBytes(333 + t), Ct);
            await openAppender.FlushDurableAsync(Ct);
            expected.Add(new StoredPack(open, Sealed: false, 333 + t));
        }

        try
        {
            var listed = await ListAsync(store);
            Assert.Equal(expected.OrderBy(p => p.Name.ToString()), listed.OrderBy(p => p.Name.ToString()));
        }
        finally
        {
            foreach (var appender in stillOpen) await appender.DisposeAsync();
        }
    }

    [Fact]
    public async Task ListAsync_EmptyStore_ListsNothing()
    {
        var store = NewStore();

        Assert.Empty(await ListAsync(store));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DeleteAsync_Pack_IsGoneAndReadThrowsPackNotFound(bool sealPack)
    {
        var store = NewStore();
        var tenant = Guid.NewGuid();
        var doomed = await WritePackAsync(store, tenant, TestKeys.RandomBytes(2000), sealPack);
        var kept = await WritePackAsync(store, tenant, TestKeys.RandomBytes(1000), seal: true);

        await store.DeleteAsync(doomed, Ct);

        var read = await Assert.ThrowsAsync<PackNotFoundException>(() => store.ReadAsync(doomed, 0, new byte[10], Ct));
        Assert.Equal(doomed, read.Pack);
        await Assert.ThrowsAsync<PackNotFoundException>(() => store.GetLengthAsync(doomed, Ct));
        Assert.Equal(new[] { kept }, (await ListAsync(store)).Select(p => p.Name));
        Assert.Equal(1000, await store.GetLengthAsync(kept, Ct));
    }

    [Fact]
    public async Task ReadAsync_UnknownPack_ThrowsPackNotFound()
    {
        var store = NewStore();
        var pack = PackName.New(Guid.NewGuid());

        var read = await Assert.ThrowsAsync<PackNotFoundException>(() => store.ReadAsync(pack, 0, new byte[1], Ct));
        Assert.Equal(pack, read.Pack);
        await Assert.ThrowsAsync<PackNotFoundException>(() => store.GetLengthAsync(pack, Ct));
    }

    [Theory]
    [InlineData(990, 20)]
    [InlineData(999, 2)]
    [InlineData(1000, 1)]
    [InlineData(50_000, 1)]
    public async Task ReadAsync_PastTheEnd_ThrowsEndOfStream(long offset, int length)
    {
        var store = NewStore();
        var tenant = Guid.NewGuid();
        var sealedPack = await WritePackAsync(store, tenant, TestKeys.RandomBytes(1000), seal: true);
        var openPack = await WritePackAsync(store, tenant, TestKeys.RandomBytes(1000), seal: false);

        await Assert.ThrowsAsync<EndOfStreamException>(() => store.ReadAsync(sealedPack, offset, new byte[length], Ct));
        await Assert.ThrowsAsync<EndOfStreamException>(() => store.ReadAsync(openPack, offset, new byte[length], Ct));
    }

    [Fact]
    public async Task ResumeAsync_ValidLengthShorterThanPack_CutsThereAndAppendsAfterIt()
    {
        var store = NewStore();
        var original = TestKeys.RandomBytes(1000);
        var pack = await WritePackAsync(store, Guid.NewGuid(), original, seal: false);
        await DropAsync(store);
        var restarted = NewStore();
        var tail = TestKeys.RandomBytes(50);

        await using (var appender = await restarted.ResumeAsync(pack, 600, Ct))
        {
            Assert.Equal(pack, appender.Pack);
            Assert.Equal(600, appender.Length);
            await appender.AppendAsync(tail, Ct);
            Assert.Equal(650, appender.Length);
            await appender.SealAsync(Ct);
        }

        Assert.Equal(650, await restarted.GetLengthAsync(pack, Ct));
        Bytes.Equal([.. original[..600], .. tail], await ReadAsync(restarted, pack, 0, 650));
        Assert.Equal(new StoredPack(pack, Sealed: true, 650), Assert.Single(await ListAsync(restarted)));
        await Assert.ThrowsAsync<EndOfStreamException>(() => restarted.ReadAsync(pack, 640, new byte[11], Ct));
    }

    [Fact]
    public async Task ResumeAsync_UnknownPack_ThrowsPackNotFound()
    {
        var store = NewStore();

        await Assert.ThrowsAsync<PackNotFoundException>(() => store.ResumeAsync(PackName.New(Guid.NewGuid()), 0, Ct));
    }

    [Fact]
    public async Task AppendAsync_AfterSeal_ThrowsAndLeavesPackUnchanged()
    {
        var store = NewStore();
        var pack = PackName.New(Guid.NewGuid());
        var data = TestKeys.RandomBytes(500);
        var appender = await store.CreateAsync(pack, Ct);
        await appender.AppendAsync(data, Ct);
        await appender.SealAsync(Ct);

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => appender.AppendAsync(TestKeys.RandomBytes(10), Ct));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => appender.FlushDurableAsync(Ct));
        await appender.DisposeAsync();

        Assert.Equal(data.Length, await store.GetLengthAsync(pack, Ct));
        Bytes.Equal(data, await ReadAsync(store, pack, 0, data.Length));
    }

    private static async Task<byte[]> ReadAsync(IPackStore store, PackName pack, long offset, int length)
    {
        var buffer = new byte[length];
        await store.ReadAsync(pack, offset, buffer, CancellationToken.None);
        return buffer;
    }

    private async Task<List<StoredPack>> ListAsync(IPackStore store)
    {
        var packs = new List<StoredPack>();
        await foreach (var pack in store.ListAsync(Ct)) packs.Add(pack);
        return packs;
    }

    private async Task<PackName> WritePackAsync(IPackStore store, Guid tenant, byte[] data, bool seal)
    {
        var pack = PackName.New(tenant);
        await using var appender = await store.CreateAsync(pack, Ct);
        await appender.AppendAsync(data, Ct);
        await appender.FlushDurableAsync(Ct);
        if (seal) await appender.SealAsync(Ct);
        return pack;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var store in stores) DropAsync(store).GetAwaiter().GetResult();
        timeout.Dispose();
        directory.Dispose();
    }
}
