using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// A key of tenant A can not list, read, browse, change or delete anything of tenant B: every
/// such call answers NotFound (B's things do not exist for A) and B's things are unchanged
/// afterwards (archiving and deleting snapshots included). Reader keys change nothing; tenant
/// admins make no global keys.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TenantIsolationTests(StackFixture fixture) : IAsyncLifetime
{
    private UrbStack Stack => fixture.Stack;

    private string tenantA = "", tenantB = "";
    private Metadata adminA = [], readerA = [], adminB = [];
    private string keyB = "";
    private BackupAgent clientB = null!;
    private string sourceB = "";

    public async Task InitializeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        tenantA = await Stack.CreateTenantAsync("tenant-a-" + suffix);
        tenantB = await Stack.CreateTenantAsync("tenant-b-" + suffix);
        adminA = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantA, ApiKeyRole.TenantAdmin));
        readerA = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantA, ApiKeyRole.TenantReader));
        keyB = await Stack.CreateKeyAsync(tenantB, ApiKeyRole.TenantAdmin);
        adminB = UrbStack.KeyHeaders(keyB);

        clientB = await BackupAgent.EnrollAsync(Stack, tenantB);
        sourceB = Directory.CreateDirectory(Path.Combine(Stack.Directory, "tenant-b-" + suffix)).FullName;
        await File.WriteAllTextAsync(Path.Combine(sourceB, "secret.txt"), "tenant B's data");
        await clientB.BackupAsync([sourceB]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TenantKey_ReadingAnotherTenantsClient_IsNotFound()
    {
        var clients = Stack.ApiClients;

        await AssertNotFound(clients.GetClientAsync(new GetClientRequest { Id = clientB.ClientId }, adminA));
        await AssertNotFound(clients.ListClientsAsync(new ListClientsRequest { TenantId = tenantB }, adminA));
        var own = await clients.ListClientsAsync(new ListClientsRequest(), adminA);
        Assert.DoesNotContain(own.Clients, c => c.TenantId != tenantA);
    }

    [Fact]
    public async Task TenantKey_BrowsingAnotherTenantsBackups_IsNotFound()
    {
        var snapshots = Stack.ApiSnapshots;

        await AssertNotFound(snapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientB.ClientId }, adminA));
        var browse = snapshots.ListEntries(new ListClientEntriesRequest { ClientId = clientB.ClientId, Backup = "latest", Recursive = true }, adminA);
        var error = await Assert.ThrowsAsync<RpcException>(() => browse.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.NotFound, error.StatusCode);

        // B's own key sees them: the refusal above is about the tenant, not a missing backup.
        Assert.Single((await snapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientB.ClientId }, adminB)).Snapshots);
    }

    [Fact]
    public async Task TenantKey_ChangingAnotherTenantsThings_IsNotFoundAndChangesNothing()
    {
        var clients = Stack.ApiClients;

        await AssertNotFound(clients.DeleteClientAsync(new DeleteClientRequest { Id = clientB.ClientId }, adminA));
        await AssertNotFound(clients.CreateEnrollmentTokenAsync(new CreateEnrollmentTokenRequest { ClientId = clientB.ClientId }, adminA));
        await AssertNotFound(clients.CreateClientAsync(new CreateClientRequest { Name = "intruder", TenantId = tenantB }, adminA));
        await AssertNotFound(Stack.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "intruder", Role = ApiKeyRole.TenantAdmin, TenantId = tenantB }, adminA));
        var keyIdB = keyB.Split('.')[1];
        await AssertNotFound(Stack.ApiKeys.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = keyIdB }, adminA));

        // B is intact: its client, its key, and no client named "intruder".
        var clientsOfB = await clients.ListClientsAsync(new ListClientsRequest { TenantId = tenantB }, adminB);
        Assert.Contains(clientsOfB.Clients, c => c.Id == clientB.ClientId);
        Assert.DoesNotContain(clientsOfB.Clients, c => c.Name == "intruder");
        var status = await clientB.RunAsync("status", "--json");
        Assert.Equal(0, status.ExitCode);
    }

    [Fact]
    public async Task TenantKey_ArchivingOrDeletingAnotherTenantsSnapshot_IsNotFoundAndChangesNothing()
    {
        var snapshots = Stack.ApiSnapshots;
        var snapshotOfB = (await snapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientB.ClientId }, adminB)).Snapshots[0];

        await AssertNotFound(snapshots.ArchiveSnapshotAsync(new ArchiveSnapshotRequest { ClientId = clientB.ClientId, BackupId = snapshotOfB.BackupId }, adminA));
        await AssertNotFound(snapshots.UnarchiveSnapshotAsync(new UnarchiveSnapshotRequest { ClientId = clientB.ClientId, BackupId = snapshotOfB.BackupId }, adminA));
        await AssertNotFound(snapshots.DeleteSnapshotAsync(new DeleteSnapshotRequest { ClientId = clientB.ClientId, BackupId = snapshotOfB.BackupId }, adminA));
        await AssertNotFound(snapshots.DeleteSnapshotAsync(new DeleteSnapshotRequest { ClientId = clientB.ClientId, BackupId = snapshotOfB.BackupId }, readerA));

        // B's snapshot is still there, not archived, and restores.
        var after = Assert.Single((await snapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientB.ClientId }, adminB)).Snapshots);
        Assert.Equal(snapshotOfB.BackupId, after.BackupId);
        Assert.Null(after.Archive);
        var restored = Path.Combine(Stack.Directory, "tenant-b-restored-" + Guid.NewGuid().ToString("N")[..8]);
        (await clientB.RestoreAsync(snapshotOfB.BackupId, Path.GetFileName(sourceB), restored)).EnsureSuccess();
        Assert.Equal("tenant B's data", await File.ReadAllTextAsync(Path.Combine(restored, "secret.txt")));
    }

    [Fact]
    public async Task TenantKey_SeesOnlyItsOwnTenantAndKeys()
    {
        await AssertNotFound(Stack.ApiTenants.GetTenantAsync(new GetTenantRequest { Id = tenantB }, adminA));
        var tenants = await Stack.ApiTenants.ListTenantsAsync(new ListTenantsRequest(), adminA);
        Assert.Equal([tenantA], tenants.Tenants.Select(t => t.Id));

        await AssertNotFound(Stack.ApiKeys.ListApiKeysAsync(new ListApiKeysRequest { TenantId = tenantB }, adminA));
        var keys = await Stack.ApiKeys.ListApiKeysAsync(new ListApiKeysRequest(), adminA);
        Assert.NotEmpty(keys.Keys);
        Assert.All(keys.Keys, k => Assert.Equal(tenantA, k.TenantId));
    }

    [Fact]
    public async Task ReaderKey_ReadsItsTenantButChangesNothing()
    {
        var clients = Stack.ApiClients;
        var created = await clients.CreateClientAsync(new CreateClientRequest { Name = "reader-target", TenantId = tenantA }, adminA);

        Assert.Contains((await clients.ListClientsAsync(new ListClientsRequest(), readerA)).Clients, c => c.Id == created.Client.Id);
        await AssertDenied(clients.CreateClientAsync(new CreateClientRequest { Name = "by-reader" }, readerA));
        await AssertDenied(clients.DeleteClientAsync(new DeleteClientRequest { Id = created.Client.Id }, readerA));
        await AssertDenied(clients.CreateEnrollmentTokenAsync(new CreateEnrollmentTokenRequest { ClientId = created.Client.Id }, readerA));
        await AssertDenied(Stack.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "by-reader", Role = ApiKeyRole.TenantReader }, readerA));

        Assert.Equal(created.Client.Id, (await clients.GetClientAsync(new GetClientRequest { Id = created.Client.Id }, adminA)).Id);
    }

    [Fact]
    public async Task TenantAdmin_CannotMakeGlobalKeysOrTenants()
    {
        await AssertDenied(Stack.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "escalate", Role = ApiKeyRole.GlobalAdmin }, adminA));
        await AssertDenied(Stack.ApiTenants.CreateTenantAsync(new CreateTenantRequest { Name = "mine-" + Guid.NewGuid().ToString("N")[..6] }, adminA));
    }

    [Fact]
    public async Task TenantAdmin_MakesAndRevokesKeysOfItsTenant_RevokedKeyIsRefusedAtOnce()
    {
        var made = await Stack.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "portal", Role = ApiKeyRole.TenantReader }, adminA);
        Assert.Equal(tenantA, made.Info.TenantId);
        Assert.StartsWith("urbk1.", made.Key);
        var listed = await Stack.ApiKeys.ListApiKeysAsync(new ListApiKeysRequest { TenantId = tenantA }, adminA);
        Assert.Contains(listed.Keys, k => k.Id == made.Info.Id && k.RevokedAt is null);
        Assert.DoesNotContain(made.Key.Split('.')[2], listed.ToString());

        var revoked = await Stack.ApiKeys.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = made.Info.Id }, adminA);

        Assert.NotNull(revoked.RevokedAt);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Stack.ApiClients.ListClientsAsync(new ListClientsRequest(), UrbStack.KeyHeaders(made.Key)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Agent_CannotReadAnotherClientsSnapshots()
    {
        var other = await BackupAgent.EnrollAsync(Stack, tenantA);

        var listed = await other.RawClient().ListSnapshotsAsync(new ListSnapshotsRequest());
        Assert.Empty(listed.Snapshots);
        var snapshotOfB = (await Stack.ApiSnapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientB.ClientId }, adminB)).Snapshots[0];
        var browse = other.RawClient().ListEntries(new ListEntriesRequest { Backup = snapshotOfB.BackupId });
        var error = await Assert.ThrowsAsync<RpcException>(() => browse.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var restore = other.RawClient().Restore(new RestoreRequest { Backup = snapshotOfB.BackupId });
        error = await Assert.ThrowsAsync<RpcException>(() => restore.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static async Task AssertNotFound<T>(AsyncUnaryCall<T> call) => await AssertStatus(call, StatusCode.NotFound);

    private static async Task AssertDenied<T>(AsyncUnaryCall<T> call) => await AssertStatus(call, StatusCode.PermissionDenied);

    private static async Task AssertStatus<T>(AsyncUnaryCall<T> call, StatusCode expected)
    {
        using (call)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(expected, error.StatusCode);
        }
    }
}
