using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>Archiving and deleting a client's snapshots through Urb.Api's Snapshots service, with tenant keys.</summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ApiBackupCatalogTests(StackFixture fixture) : IAsyncLifetime
{
    private UrbStack Stack => fixture.Stack;

    private Snapshots.SnapshotsClient Snapshots => Stack.ApiSnapshots;

    private Metadata admin = [], reader = [];
    private BackupAgent agent = null!;
    private string source = "", older = "", newer = "";

    public async Task InitializeAsync()
    {
        var tenant = await Stack.CreateTenantAsync("api-catalog-" + Guid.NewGuid().ToString("N")[..8]);
        admin = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantAdmin));
        reader = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantReader));
        agent = await BackupAgent.EnrollAsync(Stack, tenant);
        source = Stack.NewSourceDirectory("portal");
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "first");
        older = (await agent.BackupAsync([source])).GetProperty("backup_id").GetString()!;
        await File.WriteAllTextAsync(Path.Combine(source, "b.txt"), "second");
        newer = (await agent.BackupAsync([source])).GetProperty("backup_id").GetString()!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ArchiveAndUnarchive_ByTenantAdmin_ShowInTheListings()
    {
        var archived = await Snapshots.ArchiveSnapshotAsync(new ArchiveSnapshotRequest { ClientId = agent.ClientId, BackupId = older }, admin);
        var listed = await ListAsync();
        var ownListing = await agent.RawClient().ListSnapshotsAsync(new ListSnapshotsRequest());
        var unarchived = await Snapshots.UnarchiveSnapshotAsync(new UnarchiveSnapshotRequest { ClientId = agent.ClientId, BackupId = older }, admin);
        var again = await Snapshots.UnarchiveSnapshotAsync(new UnarchiveSnapshotRequest { ClientId = agent.ClientId, BackupId = older }, admin);

        Assert.Equal("", archived.Archive.RuleId);
        Assert.Null(archived.Archive.Until);
        Assert.InRange(archived.Archive.ArchivedAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal(archived.Archive, listed.Single(s => s.BackupId == older).Archive);
        Assert.Null(listed.Single(s => s.BackupId == newer).Archive);
        Assert.Equal(archived.Archive, ownListing.Snapshots.Single(s => s.BackupId == older).Archive);
        Assert.True(unarchived.WasArchived);
        Assert.False(again.WasArchived);
        Assert.All(await ListAsync(), s => Assert.Null(s.Archive));
    }

    [Fact]
    public async Task DeleteSnapshot_ArchivedByTenantAdmin_IsGoneWhileTheOtherRestores()
    {
        await Snapshots.ArchiveSnapshotAsync(new ArchiveSnapshotRequest { ClientId = agent.ClientId, BackupId = newer }, admin);

        await Snapshots.DeleteSnapshotAsync(new DeleteSnapshotRequest { ClientId = agent.ClientId, BackupId = newer }, admin);

        Assert.Equal([older], (await ListAsync()).Select(s => s.BackupId));
        var browse = Snapshots.ListEntries(new ListClientEntriesRequest { ClientId = agent.ClientId, Backup = newer }, admin);
        var error = await Assert.ThrowsAsync<RpcException>(() => browse.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        await RpcAssert.StatusAsync(StatusCode.NotFound, () =>
            Snapshots.DeleteSnapshotAsync(new DeleteSnapshotRequest { ClientId = agent.ClientId, BackupId = newer }, admin));
        var restored = Stack.NewSourceDirectory("portal-restored");
        (await agent.RestoreAsync("latest", "portal", restored)).EnsureSuccess();
        Assert.Equal(["a.txt"], Directory.GetFileSystemEntries(restored).Select(Path.GetFileName));
        Assert.Equal("first", File.ReadAllText(Path.Combine(restored, "a.txt")));
    }

    [Fact]
    public async Task Changes_WithReaderKey_ArePermissionDeniedAndChangeNothing()
    {
        await RpcAssert.StatusAsync(StatusCode.PermissionDenied, () =>
            Snapshots.ArchiveSnapshotAsync(new ArchiveSnapshotRequest { ClientId = agent.ClientId, BackupId = older }, reader));
        await RpcAssert.StatusAsync(StatusCode.PermissionDenied, () =>
            Snapshots.UnarchiveSnapshotAsync(new UnarchiveSnapshotRequest { ClientId = agent.ClientId, BackupId = older }, reader));
        await RpcAssert.StatusAsync(StatusCode.PermissionDenied, () =>
            Snapshots.DeleteSnapshotAsync(new DeleteSnapshotRequest { ClientId = agent.ClientId, BackupId = older }, reader));

        var listed = await Snapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = agent.ClientId }, reader);
        Assert.Equal([newer, older], listed.Snapshots.Select(s => s.BackupId));
        Assert.All(listed.Snapshots, s => Assert.Null(s.Archive));
    }

    [Fact]
    public async Task Changes_OfABackupThatIsNotTheClients_AreNotFoundOrInvalid()
    {
        var sibling = await BackupAgent.EnrollAsync(Stack, agent.TenantId);

        await RpcAssert.StatusAsync(StatusCode.NotFound, () =>
            Snapshots.ArchiveSnapshotAsync(new ArchiveSnapshotRequest { ClientId = sibling.ClientId, BackupId = older }, admin));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () =>
            Snapshots.UnarchiveSnapshotAsync(new UnarchiveSnapshotRequest { ClientId = agent.ClientId, BackupId = Guid.NewGuid().ToString() }, admin));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () =>
            Snapshots.DeleteSnapshotAsync(new DeleteSnapshotRequest { ClientId = sibling.ClientId, BackupId = older }, admin));
        await RpcAssert.InvalidArgumentAsync("backup_id", () =>
            Snapshots.DeleteSnapshotAsync(new DeleteSnapshotRequest { ClientId = agent.ClientId, BackupId = "latest" }, admin));

        var listed = await ListAsync();
        Assert.Equal([newer, older], listed.Select(s => s.BackupId));
        Assert.All(listed, s => Assert.Null(s.Archive));
    }

    private async Task<List<Snapshot>> ListAsync() =>
        [.. (await Snapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = agent.ClientId }, admin)).Snapshots];
}
