using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Urb.Contracts.Ingest.V1;
using Urb.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Backups with changing data and garbage collection (grace zero) at the same time, over and over;
/// snapshots are deleted meanwhile (by setting the row's status in PostgreSQL, a stand-in for the
/// catalog's DeleteBackups). Then every remaining snapshot must restore byte for byte. A backup
/// may fail with FailedPrecondition when collection took what it was told was there, but then it
/// leaves no snapshot. 45 s of backups (then the restores); URB_SLOW_TESTS=1 runs them for ten minutes.
/// </summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GarbageCollectionConcurrencyTests(StackFixture fixture, ITestOutputHelper output)
{
    private const int Clients = 2;

    private UrbStack Stack => fixture.Stack;

    private static TimeSpan Duration =>
        Environment.GetEnvironmentVariable("URB_SLOW_TESTS") == "1" ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(45);

    [Fact]
    public async Task CollectGarbage_WhileBackupsRunAndSnapshotsAreDeleted_EveryRemainingSnapshotRestoresByteForByte()
    {
        var tenant = await Stack.CreateTenantAsync($"gc-race-{Guid.NewGuid():N}"[..20]);
        var agents = new List<(BackupAgent Agent, string Source)>();
        for (var i = 0; i < Clients; i++)
        {
            var source = Directory.CreateDirectory(Path.Combine(Stack.Directory, $"gc-race-{Guid.NewGuid():N}"[..16], "data")).FullName;
            agents.Add((await BackupAgent.EnrollAsync(Stack, tenant), source));
        }
        var snapshots = new ConcurrentDictionary<string, (BackupAgent Agent, string Source, Dictionary<string, string> Files)>();
        var refusals = new ConcurrentBag<string>();
        var totals = new CollectGarbageReport();
        var deleted = 0;
        using var stop = new CancellationTokenSource(Duration);

        var backups = agents.Select((a, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            while (!stop.IsCancellationRequested)
            {
                Mutate(a.Source, random);
                var files = Hashes(a.Source);
                var run = await a.Agent.RunAsync("backup", "--json", "--path", a.Source);
                if (run.ExitCode is 0)
                {
                    var id = JsonDocument.Parse(run.StandardOutput).RootElement.GetProperty("backup_id").GetString()!;
                    snapshots[id] = (a.Agent, a.Source, files);
                }
                else
                {
                    refusals.Add($"exit {run.ExitCode}: {run.StandardError}");
                }
            }
        })).ToList();
        var collector = new GarbageCollector.GarbageCollectorClient(Stack.Channel(Stack.Ports["Urb.Ingest"].GrpcAddress));
        var collections = Task.Run(async () =>
        {
            var random = new Random(42);
            while (!stop.IsCancellationRequested)
            {
                // Stand-in for DeleteBackups: about every other run, a random snapshot stops being one.
                if (random.Next(2) == 0 && snapshots.Keys.OrderBy(_ => random.Next()).FirstOrDefault() is { } victim && snapshots.TryRemove(victim, out _))
                {
                    await Stack.Database.ScalarAsync<object>($"UPDATE ingest.backups SET status = 'deleted' WHERE id = '{Guid.Parse(victim)}'");
                    deleted++;
                }
                Add(totals, await collector.CollectGarbageAsync(new CollectGarbageRequest { TenantId = tenant, Grace = new Duration() }));
                await Task.Delay(random.Next(100, 700));
            }
        });
        await Task.WhenAll([.. backups, collections]);
        for (var i = 0; i < 2; i++) Add(totals, await collector.CollectGarbageAsync(new CollectGarbageRequest { TenantId = tenant, Grace = new Duration() }));

        var completed = await Stack.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM ingest.backups WHERE tenant_id = '{Guid.Parse(tenant)}' AND status = 'completed'");
        var broken = new List<string>();
        foreach (var (id, (agent, source, files)) in snapshots)
        {
            var target = Path.Combine(Stack.Directory, $"gc-race-restore-{Guid.NewGuid():N}");
            var restore = await agent.RestoreAsync(id, Path.GetFileName(source), target);
            if (restore.ExitCode != 0) broken.Add($"{id}: restore exit {restore.ExitCode}: {restore.StandardError}");
            else if (Differences(files, Hashes(target)) is { Count: > 0 } differences) broken.Add($"{id}: {string.Join(", ", differences)}");
        }

        var summary = $"{snapshots.Count} snapshots kept, {deleted} deleted, {refusals.Count} backups refused; collection: {totals}";
        output.WriteLine(summary);
        Assert.True(snapshots.Count >= 4, summary);
        Assert.Empty(broken);
        // Only the refusal the design allows, and a refused backup leaves no snapshot.
        Assert.All(refusals, r => Assert.Contains("FailedPrecondition", r));
        Assert.Equal(snapshots.Count, completed);
        // Garbage was really made and reclaimed while backups ran, or the test proved nothing.
        Assert.True(totals.ObjectsCondemned > 0 && totals.ObjectsDeleted > 0, summary);
    }

    /// <summary>Rewrites some files, deletes one and adds one: old versions become garbage once their snapshots go.</summary>
    private static void Mutate(string source, Random random)
    {
        var files = Directory.GetFiles(source).Order().ToList();
        foreach (var file in files.OrderBy(_ => random.Next()).Take(3)) File.WriteAllBytes(file, Content(random));
        if (files.Count > 8) File.Delete(files[random.Next(files.Count)]);
        File.WriteAllBytes(Path.Combine(source, $"file-{random.Next():x8}.bin"), Content(random));
    }

    private static byte[] Content(Random random)
    {
        var bytes = new byte[random.Next(1, 400_000)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static Dictionary<string, string> Hashes(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static List<string> Differences(Dictionary<string, string> expected, Dictionary<string, string> actual) =>
        expected.Keys.Union(actual.Keys).Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k)).Order().ToList();

    private static void Add(CollectGarbageReport total, CollectGarbageReport run)
    {
        total.ObjectsCondemned += run.ObjectsCondemned;
        total.ObjectsRevived += run.ObjectsRevived;
        total.ObjectsDeleted += run.ObjectsDeleted;
        total.PacksDeleted += run.PacksDeleted;
        total.PacksRewritten += run.PacksRewritten;
        total.BytesReclaimed += run.BytesReclaimed;
        total.TenantsFailed += run.TenantsFailed;
    }
}
