using Urb.Contracts.Ingest.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>BackupCatalog.GetBackupTotals: backup counts by kind and the plain bytes they cover, for usage statistics.</summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupTotalsTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task GetBackupTotals_IncrementalFullAndDeletedBackups_CountsAndSumsOnlyLiveOnes()
    {
        var tenant = await Stack.CreateTenantAsync("usage-totals-" + Guid.NewGuid().ToString("N")[..8]);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        var idle = await BackupAgent.EnrollAsync(Stack, tenant);
        var source = Stack.NewSourceDirectory("usage-totals");
        File.WriteAllBytes(Path.Combine(source, "a.bin"), new byte[10_000]);
        await agent.BackupAsync([source]);
        File.WriteAllBytes(Path.Combine(source, "b.bin"), new byte[5_000]);
        await agent.BackupAsync([source], full: true);
        await agent.BackupAsync([source]);
        File.WriteAllBytes(Path.Combine(source, "c.bin"), new byte[1_000]);
        await agent.BackupAsync([source]);
        var backups = (await Stack.IngestCatalog.ListClientBackupsAsync(new ListClientBackupsRequest { TenantId = tenant, ClientId = agent.ClientId })).Backups;
        await Stack.IngestCatalog.DeleteBackupsAsync(new DeleteBackupsRequest { TenantId = tenant, ClientId = agent.ClientId, BackupIds = { backups[0].BackupId } });

        var all = await Stack.IngestCatalog.GetBackupTotalsAsync(new GetBackupTotalsRequest { TenantId = tenant });
        var one = await Stack.IngestCatalog.GetBackupTotalsAsync(new GetBackupTotalsRequest { TenantId = tenant, ClientId = agent.ClientId });

        var totals = Assert.Single(all.Clients);
        Assert.Equal(agent.ClientId, totals.ClientId);
        Assert.DoesNotContain(all.Clients, c => c.ClientId == idle.ClientId);
        Assert.Equal(2, totals.IncrementalBackups);
        Assert.Equal(1, totals.FullBackups);
        Assert.Equal(15_000 + 15_000 + 16_000, totals.TotalBytes);
        Assert.Equal(16_000, totals.LatestTotalBytes);
        Assert.Equal(totals, Assert.Single(one.Clients));
    }

    [Theory]
    [InlineData("", "", "tenant_id")]
    [InlineData("not-a-uuid", "", "tenant_id")]
    [InlineData("00000000-0000-0000-0000-000000000001", "nope", "client_id")]
    public async Task GetBackupTotals_MissingOrMalformedIds_InvalidArgumentNamingTheField(string tenantId, string clientId, string field) =>
        await RpcAssert.InvalidArgumentAsync(field, () => Stack.IngestCatalog.GetBackupTotalsAsync(new GetBackupTotalsRequest { TenantId = tenantId, ClientId = clientId }));
}
