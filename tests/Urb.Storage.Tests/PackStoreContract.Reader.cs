using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

/// <summary>The contract of <see cref="IPackStore.OpenReader"/>: the reads a restore makes, many per pack, at once.</summary>
public abstract partial class PackStoreContract
{
    [Fact]
    public async Task OpenReader_ReadsWhatReadAsyncReads_FromSeveralPacksAtOnce()
    {
        var store = NewStore();
        var tenant = Guid.NewGuid();
        var data = new[] { TestKeys.RandomBytes(50_000), TestKeys.RandomBytes(70_000), TestKeys.RandomBytes(10_000) };
        var packs = new List<PackName>();
        for (var i = 0; i < data.Length; i++) packs.Add(await WritePackAsync(store, tenant, data[i], seal: i != 2));

        using var reader = store.OpenReader();
        var reads = Enumerable.Range(0, 300).Select(async i =>
        {
            var which = i % data.Length;
            var offset = i * 31 % (data[which].Length - 1000);
            var buffer = new byte[1000];
            await reader.ReadAsync(packs[which], offset, buffer, Ct);
            Bytes.Equal(data[which].AsSpan(offset, 1000).ToArray(), buffer);
        });
        await Task.WhenAll(reads);
    }

    [Fact]
    public async Task OpenReader_PackSealedBetweenReads_ReadsOn()
    {
        var store = NewStore();
        var pack = PackName.New(Guid.NewGuid());
        var first = TestKeys.RandomBytes(4000);
        var second = TestKeys.RandomBytes(6000);
        using var reader = store.OpenReader();

        await using (var appender = await store.CreateAsync(pack, Ct))
        {
            await appender.AppendAsync(first, Ct);
            await appender.FlushDurableAsync(Ct);
            var before = new byte[first.Length];
            await reader.ReadAsync(pack, 0, before, Ct);
            Bytes.Equal(first, before);

            await appender.AppendAsync(second, Ct);
            await appender.SealAsync(Ct);
        }

        var after = new byte[second.Length];
        await reader.ReadAsync(pack, first.Length, after, Ct);
        Bytes.Equal(second, after);
    }

    [Fact]
    public async Task OpenReader_UnknownPackOrPastTheEnd_FailsAsReadAsyncDoes()
    {
        var store = NewStore();
        var pack = await WritePackAsync(store, Guid.NewGuid(), TestKeys.RandomBytes(1000), seal: true);
        var unknown = PackName.New(Guid.NewGuid());
        using var reader = store.OpenReader();

        var missing = await Assert.ThrowsAsync<PackNotFoundException>(() => reader.ReadAsync(unknown, 0, new byte[1], Ct));
        Assert.Equal(unknown, missing.Pack);
        await Assert.ThrowsAsync<EndOfStreamException>(() => reader.ReadAsync(pack, 990, new byte[20], Ct));
        // The failures leave the reader usable.
        var buffer = new byte[10];
        await reader.ReadAsync(pack, 990, buffer, Ct);
    }

    [Fact]
    public async Task OpenReader_AfterDispose_RefusesToRead()
    {
        var store = NewStore();
        var pack = await WritePackAsync(store, Guid.NewGuid(), TestKeys.RandomBytes(1000), seal: true);
        var reader = store.OpenReader();
        await reader.ReadAsync(pack, 0, new byte[10], Ct);

        reader.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => reader.ReadAsync(pack, 0, new byte[10], Ct));
    }
}
