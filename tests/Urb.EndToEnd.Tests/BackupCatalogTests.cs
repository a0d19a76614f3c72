using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Ingest.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>Urb.Ingest's internal catalog (urb.ingest.v1.BackupCatalog) over backups made by real agents.</summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupCatalogTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    private BackupCatalog.BackupCatalogClient Catalog => Stack.IngestCatalog;

    [Fact]
    public async Task GetLastBackups_AfterIncrementalAndFullBackups_NamesTheNewestOfEachKindAndRunningOnes()
    {
        var tenant = await Stack.CreateTenantAsync("catalog-last-" + Guid.NewGuid().ToString("N")[..8]);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        var source = Stack.NewSourceDirectory("last");
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        await agent.BackupAsync([source]);
        await agent.BackupAsync([source], full: true);
        await agent.BackupAsync([source]);
        var busy = await BackupAgent.EnrollAsync(Stack, tenant);
        using var running = busy.RawClient().Run();
        await running.RequestStream.WriteAsync(new BackupRequest { Start = new BackupStart { Kind = BackupKind.Full, Paths = { "/busy" } } });
        Assert.True(await running.ResponseStream.MoveNext());

        var last = await Catalog.GetLastBackupsAsync(new GetLastBackupsRequest { TenantId = tenant });
        var everyTenant = await Catalog.GetLastBackupsAsync(new GetLastBackupsRequest());

        var backups = await ListAsync(agent);
        Assert.Equal([BackupKind.Incremental, BackupKind.Full, BackupKind.Incremental], backups.Select(b => b.Kind));
        Assert.Equal(2, last.Clients.Count);
        var done = Assert.Single(last.Clients, c => c.ClientId == agent.ClientId);
        Assert.Equal(tenant, done.TenantId);
        Assert.Equal(backups[2].FinishedAt, done.LastIncrementalFinishedAt);
        Assert.Equal(backups[1].FinishedAt, done.LastFullFinishedAt);
        Assert.False(done.Running);
        var started = Assert.Single(last.Clients, c => c.ClientId == busy.ClientId);
        Assert.True(started.Running);
        Assert.Null(started.LastIncrementalFinishedAt);
        Assert.Null(started.LastFullFinishedAt);
        Assert.Contains(everyTenant.Clients, c => c.ClientId == agent.ClientId && c.TenantId == tenant);
    }

    [Fact]
    public async Task SetArchive_SetRepeatedAndCleared_ListShowsTheMarksAndCountsOnlyChanges()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = Stack.NewSourceDirectory("archive");
        File.WriteAllBytes(Path.Combine(source, "data.bin"), Random.Shared.GetItems<byte>(new byte[256], 200_000));
        var first = await agent.BackupAsync([source]);
        File.WriteAllText(Path.Combine(source, "more.txt"), "more");
        var second = await agent.BackupAsync([source]);
        var archivedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var mark = new ArchiveState
        {
            RuleId = "every 7d keep 30d",
            ArchivedAt = Timestamp.FromDateTimeOffset(archivedAt),
            Until = Timestamp.FromDateTimeOffset(archivedAt.AddDays(30)),
        };
        var firstId = first.GetProperty("backup_id").GetString()!;

        var set = await SetArchiveAsync(agent, mark, firstId);
        var again = await SetArchiveAsync(agent, mark, firstId);
        var archived = await ListAsync(agent);
        var cleared = await SetArchiveAsync(agent, null, firstId, second.GetProperty("backup_id").GetString()!);
        var clearedAgain = await SetArchiveAsync(agent, null, firstId);

        Assert.Equal((1, 0, 1, 0), (set.Changed, again.Changed, cleared.Changed, clearedAgain.Changed));
        Assert.Equal([firstId, second.GetProperty("backup_id").GetString()], archived.Select(b => b.BackupId));
        Assert.Equal(mark, archived[0].Archive);
        Assert.Null(archived[1].Archive);
        Assert.Equal(first.GetProperty("bytes_new").GetInt64(), archived[0].BytesNew);
        Assert.Equal(second.GetProperty("total_bytes").GetInt64(), archived[1].TotalBytes);
        Assert.True(archived[0].BytesNew > 0);
        Assert.All(await ListAsync(agent), b => Assert.Null(b.Archive));
    }

    [Fact]
    public async Task DeleteBackups_NewestSnapshot_VanishesFromListingsLatestAndRestoreWhileTheOthersRestore()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = Stack.NewSourceDirectory("deleting");
        File.WriteAllBytes(Path.Combine(source, "big.bin"), Random.Shared.GetItems<byte>(new byte[256], 3_000_000));
        var first = await agent.BackupAsync([source]);
        var firstState = Stack.NewSourceDirectory("deleting-first");
        TreeComparison.Copy(source, firstState);
        File.WriteAllText(Path.Combine(source, "second.txt"), "second");
        await agent.BackupAsync([source]);
        var secondState = Stack.NewSourceDirectory("deleting-second");
        TreeComparison.Copy(source, secondState);
        File.WriteAllText(Path.Combine(source, "third.txt"), "third");
        var third = (await agent.BackupAsync([source])).GetProperty("backup_id").GetString()!;

        var deleted = await DeleteAsync(agent, includeArchived: false, third);
        var again = await DeleteAsync(agent, includeArchived: false, third);

        Assert.Equal([third], deleted.Deleted);
        Assert.Empty(again.Deleted);
        Assert.DoesNotContain(await ListAsync(agent), b => b.BackupId == third);
        var listed = await agent.RawClient().ListSnapshotsAsync(new ListSnapshotsRequest());
        Assert.Equal(2, listed.Snapshots.Count);
        Assert.DoesNotContain(listed.Snapshots, s => s.BackupId == third);
        await AssertNotFoundAsync(agent.RawClient().Restore(new RestoreRequest { Backup = third }).ResponseStream);
        await AssertNotFoundAsync(agent.RawClient().ListEntries(new ListEntriesRequest { Backup = third }).ResponseStream);
        var latest = Stack.NewSourceDirectory("deleting-latest");
        (await agent.RestoreAsync("latest", "deleting", latest)).EnsureSuccess();
        Assert.Empty(TreeComparison.Differences(secondState, latest));
        var oldest = Stack.NewSourceDirectory("deleting-oldest");
        (await agent.RestoreAsync(first.GetProperty("backup_id").GetString()!, "deleting", oldest)).EnsureSuccess();
        Assert.Empty(TreeComparison.Differences(firstState, oldest));
    }

    [Fact]
    public async Task DeleteBackups_Archived_KeptUnlessIncludeArchivedOrTheRulesArchiveRanOut()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = Stack.NewSourceDirectory("kept");
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        var manual = (await agent.BackupAsync([source])).GetProperty("backup_id").GetString()!;
        var expired = (await agent.BackupAsync([source])).GetProperty("backup_id").GetString()!;
        var now = DateTimeOffset.UtcNow;
        await SetArchiveAsync(agent, new ArchiveState { ArchivedAt = Timestamp.FromDateTimeOffset(now) }, manual);
        await SetArchiveAsync(agent, new ArchiveState
        {
            RuleId = "every 1d keep 1d",
            ArchivedAt = Timestamp.FromDateTimeOffset(now.AddDays(-2)),
            Until = Timestamp.FromDateTimeOffset(now.AddDays(-1)),
        }, expired);

        var cleanup = await DeleteAsync(agent, includeArchived: false, manual, expired);
        var kept = await ListAsync(agent);
        var operatorDelete = await DeleteAsync(agent, includeArchived: true, manual);

        Assert.Equal([expired], cleanup.Deleted);
        Assert.Equal(manual, Assert.Single(kept).BackupId);
        Assert.Equal("", kept[0].Archive.RuleId);
        Assert.Equal([manual], operatorDelete.Deleted);
        Assert.Empty(await ListAsync(agent));
    }

    [Fact]
    public async Task SetArchiveAndDelete_AnotherClientsBackup_IsIgnoredAndUnchanged()
    {
        var owner = await BackupAgent.EnrollAsync(Stack);
        var other = await BackupAgent.EnrollAsync(Stack);
        var source = Stack.NewSourceDirectory("owned");
        File.WriteAllText(Path.Combine(source, "mine.txt"), "mine");
        var backup = (await owner.BackupAsync([source])).GetProperty("backup_id").GetString()!;

        var archived = await SetArchiveAsync(other, new ArchiveState { ArchivedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) }, backup);
        var deleted = await DeleteAsync(other, includeArchived: true, backup);
        var otherTenant = await Catalog.DeleteBackupsAsync(new DeleteBackupsRequest
        {
            TenantId = Guid.NewGuid().ToString(), ClientId = owner.ClientId, BackupIds = { backup }, IncludeArchived = true,
        });

        Assert.Equal(0, archived.Changed);
        Assert.Empty(deleted.Deleted);
        Assert.Empty(otherTenant.Deleted);
        var listed = Assert.Single(await ListAsync(owner));
        Assert.Equal(backup, listed.BackupId);
        Assert.Null(listed.Archive);
        var restored = Stack.NewSourceDirectory("owned-restored");
        (await owner.RestoreAsync(backup, "owned", restored)).EnsureSuccess();
        Assert.Empty(TreeComparison.Differences(source, restored));
    }

    private async Task<List<CatalogBackup>> ListAsync(BackupAgent agent) =>
        [.. (await Catalog.ListClientBackupsAsync(new ListClientBackupsRequest { TenantId = agent.TenantId, ClientId = agent.ClientId })).Backups];

    private async Task<SetArchiveResponse> SetArchiveAsync(BackupAgent agent, ArchiveState? mark, params string[] ids) =>
        await Catalog.SetArchiveAsync(new SetArchiveRequest { TenantId = agent.TenantId, ClientId = agent.ClientId, BackupIds = { ids }, Archive = mark });

    private async Task<DeleteBackupsResponse> DeleteAsync(BackupAgent agent, bool includeArchived, params string[] ids) =>
        await Catalog.DeleteBackupsAsync(new DeleteBackupsRequest { TenantId = agent.TenantId, ClientId = agent.ClientId, BackupIds = { ids }, IncludeArchived = includeArchived });

    private static async Task AssertNotFoundAsync<T>(IAsyncStreamReader<T> stream)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => stream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
