using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Ingest.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Garbage collection through the whole stack: real backups, CollectGarbage with a grace of zero,
/// then every snapshot restored byte for byte. Deleting a snapshot is simulated by setting its
/// row's status in PostgreSQL: a stand-in for the catalog's DeleteBackups, built in another branch.
/// </summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GarbageCollectionTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task CollectGarbage_ContentOfADeletedBackup_IsCondemnedThenDeletedAndItsSpaceReclaimed()
    {
        var (tenant, agent, source) = await NewClientAsync("deleted");
        var first = await agent.BackupAsync([source]);
        var firstCopy = Copy(source);
        await File.WriteAllBytesAsync(Path.Combine(source, "temp.bin"), RandomBytes(4_000_000));
        var second = await agent.BackupAsync([source]);
        File.Delete(Path.Combine(source, "temp.bin"));
        await File.AppendAllTextAsync(Path.Combine(source, "keep.txt"), "edited\n");
        var third = await agent.BackupAsync([source]);
        var thirdCopy = Copy(source);
        await SetStatusAsync(second, "deleted");

        var condemning = await CollectAsync(tenant);
        var packBytesBefore = await LivePackBytesAsync(tenant);
        var deleting = await CollectAsync(tenant);
        var packBytesAfter = await LivePackBytesAsync(tenant);

        Assert.Equal(2, condemning.SnapshotsMarked);
        Assert.True(condemning.ObjectsCondemned >= 4, $"temp.bin's chunks and the second snapshot's trees: {condemning}");
        Assert.Equal(0, condemning.ObjectsDeleted);
        Assert.Equal(condemning.ObjectsCondemned, deleting.ObjectsDeleted);
        Assert.Equal(0, deleting.ObjectsCondemned);
        Assert.True(deleting.PacksDeleted + deleting.PacksRewritten >= 1, deleting.ToString());
        Assert.True(packBytesBefore > 4_000_000 && packBytesAfter < 1_500_000, $"pack bytes the index points at: {packBytesBefore} before, {packBytesAfter} after");
        await AssertRestoresAsync(agent, first, source, firstCopy);
        await AssertRestoresAsync(agent, third, source, thirdCopy);
    }

    [Fact]
    public async Task CollectGarbage_CondemnedContentBackedUpAgain_IsUploadedAndRevived()
    {
        var (tenant, agent, source) = await NewClientAsync("revived");
        var content = RandomBytes(2_000_000);
        await File.WriteAllBytesAsync(Path.Combine(source, "again.bin"), content);
        var gone = await agent.BackupAsync([source]);
        await SetStatusAsync(gone, "failed");
        var condemning = await CollectAsync(tenant);

        var again = await agent.BackupAsync([source], full: true);
        var later = await CollectAsync(tenant);
        var copy = Copy(source);

        Assert.True(condemning.ObjectsCondemned >= 2, condemning.ToString());
        Assert.True(again.GetProperty("bytes_sent").GetInt64() >= content.Length / 2, $"the condemned content was sent again: {again}");
        Assert.Equal(0, later.ObjectsDeleted);
        await AssertRestoresAsync(agent, again, source, copy);
    }

    [Fact]
    public async Task IncrementalAfterItsContentWasCondemned_SendsItAgain_DeepTreesIncluded()
    {
        var (tenant, agent, source) = await NewClientAsync("reread");
        var deep = Path.Combine(source, "a", "b", "c", "d");
        Directory.CreateDirectory(deep);
        var content = RandomBytes(1_500_000);
        await File.WriteAllBytesAsync(Path.Combine(deep, "deep.bin"), content);
        await File.WriteAllTextAsync(Path.Combine(source, "a", "near.txt"), "near the top\n");
        var gone = await agent.BackupAsync([source]);
        await SetStatusAsync(gone, "failed");
        await CollectAsync(tenant);

        // Nothing changed on disk, but the server lost every chunk, tree and file entry: the agent
        // finds its files' entries gone, reads them again, and the trees (all new again, five
        // levels deep) are uploaded before the commit checks them.
        var again = await agent.BackupAsync([source]);
        var copy = Copy(source);

        Assert.Equal("completed", again.GetProperty("status").GetString());
        Assert.True(again.GetProperty("files_changed").GetInt64() == 4, again.ToString());
        Assert.True(again.GetProperty("bytes_sent").GetInt64() >= content.Length, $"the lost content was sent again: {again}");
        await AssertRestoresAsync(agent, again, source, copy);
    }

    [Fact]
    public async Task CollectGarbage_MalformedRequest_IsInvalidArgumentNamingTheField()
    {
        var collector = Collector();

        var tenant = await Assert.ThrowsAsync<RpcException>(() => collector.CollectGarbageAsync(new CollectGarbageRequest { TenantId = "nobody" }).ResponseAsync);
        var grace = await Assert.ThrowsAsync<RpcException>(() => collector.CollectGarbageAsync(new CollectGarbageRequest
        {
            TenantId = Guid.NewGuid().ToString(), Grace = Duration.FromTimeSpan(TimeSpan.FromSeconds(-5)),
        }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "tenant_id"), (tenant.StatusCode, ErrorDetails.FieldOf(tenant)));
        Assert.Equal((StatusCode.InvalidArgument, "grace"), (grace.StatusCode, ErrorDetails.FieldOf(grace)));
    }

    private async Task<(string Tenant, BackupAgent Agent, string Source)> NewClientAsync(string name)
    {
        var tenant = await Stack.CreateTenantAsync($"gc-{name}-{Guid.NewGuid():N}"[..20]);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        var source = Directory.CreateDirectory(Path.Combine(Stack.Directory, $"gc-{Guid.NewGuid():N}"[..11], name)).FullName;
        Directory.CreateDirectory(Path.Combine(source, "docs"));
        await File.WriteAllTextAsync(Path.Combine(source, "keep.txt"), "kept in every snapshot\n");
        await File.WriteAllBytesAsync(Path.Combine(source, "docs", "a.bin"), RandomBytes(300_000));
        return (tenant, agent, source);
    }

    private GarbageCollector.GarbageCollectorClient Collector() => new(Stack.Channel(Stack.Ports["Urb.Ingest"].GrpcAddress));

    private async Task<CollectGarbageReport> CollectAsync(string tenant) =>
        await Collector().CollectGarbageAsync(new CollectGarbageRequest { TenantId = tenant, Grace = new Duration() });

    /// <summary>Stand-in for the catalog's DeleteBackups (not merged here): the row stops being a snapshot.</summary>
    private async Task SetStatusAsync(JsonElement backup, string status) =>
        await Stack.Database.ScalarAsync<object>($"UPDATE ingest.backups SET status = '{status}' WHERE id = '{Guid.Parse(backup.GetProperty("backup_id").GetString()!)}'");

    /// <summary>Sizes of the pack files the tenant's index rows point at.</summary>
    private async Task<long> LivePackBytesAsync(string tenant)
    {
        var usage = await new DedupIndex.DedupIndexClient(Stack.Channel(Stack.Ports[UrbStack.DedupIndex].GrpcAddress))
            .GetPackUsageAsync(new GetPackUsageRequest { TenantId = tenant });
        return usage.Packs.Sum(p => new FileInfo(Path.Combine(Stack.PacksDirectory, tenant, p.Pack[..2], p.Pack + ".pack")).Length);
    }

    private string Copy(string source)
    {
        var copy = Path.Combine(Stack.Directory, $"gc-copy-{Guid.NewGuid():N}");
        TreeComparison.Copy(source, copy);
        return copy;
    }

    private async Task AssertRestoresAsync(BackupAgent agent, JsonElement backup, string source, string expected)
    {
        var target = Path.Combine(Stack.Directory, $"gc-restore-{Guid.NewGuid():N}");
        (await agent.RestoreAsync(backup.GetProperty("backup_id").GetString()!, Path.GetFileName(source), target)).EnsureSuccess();
        Assert.Empty(TreeComparison.Differences(expected, target));
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
