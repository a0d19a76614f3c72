using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

/// <summary>The contract under concurrency: writers, readers and listings racing seals.</summary>
public abstract partial class PackStoreContract
{
    [Fact]
    public async Task ReadAsync_ManyConcurrentWritersAndReaders_EveryPackReadsBackIntact()
    {
        const int writers = 16;
        var store = NewStore();
        var tenants = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var packs = Enumerable.Range(0, writers).Select(i => PackName.New(tenants[i % tenants.Length])).ToArray();
        var contents = Enumerable.Range(0, writers).Select(_ => TestKeys.RandomBytes(Random.Shared.Next(200_000, 600_000))).ToArray();
        var durable = new long[writers];
        var writing = writers;
        // Each writer waits halfway until a reader has checked its open pack, so reads and
        // writes overlap however the thread pool schedules the tasks.
        var readWhileOpen = packs.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

        var writerTasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            try
            {
                await using var appender = await store.CreateAsync(packs[w], Ct);
                var at = 0;
                while (at < contents[w].Length)
                {
                    var size = Math.Min(Random.Shared.Next(1, 48 * 1024), contents[w].Length - at);
                    await appender.AppendAsync(contents[w].AsMemory(at, size), Ct);
                    at += size;
                    if (Random.Shared.Next(4) == 0 || at == contents[w].Length)
                    {
                        await appender.FlushDurableAsync(Ct);
                        Volatile.Write(ref durable[w], at);
                        if (at >= contents[w].Length / 2) await readWhileOpen[w].Task.WaitAsync(Ct);
                    }
                }
                await appender.SealAsync(Ct);
            }
            finally
            {
                Interlocked.Decrement(ref writing);
            }
        })).ToArray();

        var readerTasks = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                await ReadUntilWritersAreDoneAsync();
            }
            catch (Exception e)
            {
                // Let the waiting writers fail with the reader's error instead of timing out.
                foreach (var read in readWhileOpen) read.TrySetException(e);
                throw;
            }
        })).ToArray();

        async Task ReadUntilWritersAreDoneAsync()
        {
            while (Volatile.Read(ref writing) > 0)
            {
                var w = Random.Shared.Next(writers);
                var available = Volatile.Read(ref durable[w]);
                if (available == 0)
                {
                    await Task.Yield();
                    continue;
                }
                var offset = Random.Shared.NextInt64(available);
                var length = (int)Math.Min(available - offset, Random.Shared.Next(1, 64 * 1024));
                Bytes.Equal(contents[w][(int)offset..((int)offset + length)], await ReadAsync(store, packs[w], offset, length));
                readWhileOpen[w].TrySetResult();
            }
        }

        await Task.WhenAll([.. writerTasks, .. readerTasks]);

        Assert.All(readWhileOpen, read => Assert.True(read.Task.IsCompletedSuccessfully));
        var listed = (await ListAsync(store)).ToDictionary(p => p.Name);
        for (var w = 0; w < writers; w++)
        {
            Assert.Equal(new StoredPack(packs[w], Sealed: true, contents[w].Length), listed[packs[w]]);
            Bytes.Equal(contents[w], await ReadAsync(store, packs[w], 0, contents[w].Length));
        }
    }

    [Fact]
    public async Task ReadAsync_WhileThePackIsBeingSealed_AlwaysFindsIt()
    {
        var store = NewStore();
        var tenant = Guid.NewGuid();
        var data = TestKeys.RandomBytes(64);
        var misses = 0;

        // The window is the moment of the rename: many short rounds, each with a reader spinning
        // on the pack while it is sealed, make it show (a store that had it failed in < 100 rounds).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rounds = 0;
        for (; rounds < 400 && Volatile.Read(ref misses) == 0 && clock.Elapsed < TimeSpan.FromSeconds(1.5); rounds++)
        {
            var pack = PackName.New(tenant);
            var appender = await store.CreateAsync(pack, Ct);
            await appender.AppendAsync(data, Ct);
            await appender.FlushDurableAsync(Ct);
            using var stop = new CancellationTokenSource();
            var reader = Task.Run(async () =>
            {
                var buffer = new byte[data.Length];
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await store.ReadAsync(pack, 0, buffer, Ct);
                        Bytes.Equal(data, buffer);
                    }
                    catch (PackNotFoundException)
                    {
                        Interlocked.Increment(ref misses);
                    }
                }
            });
            await appender.SealAsync(Ct);
            await appender.DisposeAsync();
            await stop.CancelAsync();
            await reader;
        }

        Assert.True(misses == 0, $"Readers failed to find a pack that was being sealed {misses} times within {rounds} rounds.");
    }

    [Fact]
    public async Task ListAsync_WhilePacksAreBeingSealed_NeverThrows()
    {
        var store = NewStore();
        var tenant = Guid.NewGuid();
        var data = TestKeys.RandomBytes(64);
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var lister = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await foreach (var _ in store.ListAsync(Ct))
                    {
                    }
                }
                catch (IOException e)
                {
                    failures.Add(e);
                }
            }
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rounds = 0;
        for (; rounds < 400 && failures.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(1.5); rounds++)
        {
            await WritePackAsync(store, tenant, data, seal: true);
        }
        await stop.CancelAsync();
        await lister;

        Assert.True(failures.IsEmpty, $"Listing failed while packs were sealed ({rounds} packs): {failures.FirstOrDefault()}");
    }
}
