using System.Net.Http.Headers;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Urb.Api's Usage service against the real stack: shared content is charged in equal parts,
/// dedup and compression ratios follow from the figures, backups are counted by kind, another
/// tenant's key learns nothing, and REST answers what gRPC answers.
/// </summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UsageTests(StackFixture fixture)
{
    /// <summary>Random, so neither compression nor dedup within the file shrinks it.</summary>
    private const int ContentBytes = 300_000;

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task TwoClientsOfOneTenant_SameContent_AreEachChargedAboutHalf()
    {
        var tenant = await NewTenantAsync();
        var (first, second) = (await BackupAgent.EnrollAsync(Stack, tenant), await BackupAgent.EnrollAsync(Stack, tenant));
        var source = SourceWithRandomFile("usage-shared");
        await first.BackupAsync([source]);
        var alone = (await ClientUsageAsync(first.ClientId)).Usage;

        await second.BackupAsync([source]);
        var a = (await ClientUsageAsync(first.ClientId)).Usage;
        var b = (await ClientUsageAsync(second.ClientId)).Usage;
        var tenantUsage = await Stack.ApiUsage.GetTenantUsageAsync(new GetTenantUsageRequest { TenantId = tenant }, Stack.AdminHeaders);

        Assert.True(alone.StoredBytes >= ContentBytes, $"stored {alone.StoredBytes}");
        // The same chunks, each charged half to either client; only each snapshot's own metadata differs.
        AssertAbout(alone.StoredBytes / 2, a.StoredBytes);
        AssertAbout(alone.StoredBytes / 2, b.StoredBytes);
        Assert.Equal(a.StoredBytes + b.StoredBytes, tenantUsage.Usage.StoredBytes);
        Assert.True(tenantUsage.TenantStoredBytes >= tenantUsage.Usage.StoredBytes - 2, $"{tenantUsage}");
        Assert.Equal(tenantUsage.Clients.Select(c => c.ClientId).Order(), new[] { first.ClientId, second.ClientId }.Order());
    }

    [Fact]
    public async Task BackupsOfUnchangedData_DedupRatioAboveOne_AndCountsByKind()
    {
        var tenant = await NewTenantAsync();
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        var source = SourceWithRandomFile("usage-ratio");
        await agent.BackupAsync([source]);
        await agent.BackupAsync([source], full: true);
        await agent.BackupAsync([source]);

        var figures = await ClientUsageAsync(agent.ClientId);

        Assert.Equal((tenant, agent.ClientId), (figures.TenantId, figures.ClientId));
        var usage = figures.Usage;
        Assert.Equal((2, 1), (usage.IncrementalFileBackups, usage.FullFileBackups));
        Assert.Equal(3L * ContentBytes, usage.LogicalBytes);
        Assert.Equal(ContentBytes, usage.LatestBackupBytes);
        Assert.True(usage.DedupRatio > 1, $"{usage}");
        Assert.Equal((double)usage.LogicalBytes / usage.PlainBytes, usage.DedupRatio, 6);
        Assert.Equal((double)usage.PlainBytes / usage.StoredBytes, usage.CompressionRatio, 6);
    }

    [Fact]
    public async Task Incremental_OneFileChangedBesideAnUnchangedOne_ChargesTheNewContentAndKeepsTheOld()
    {
        var tenant = await NewTenantAsync();
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        var source = SourceWithRandomFile("usage-incremental");
        File.WriteAllBytes(Path.Combine(source, "changing.bin"), RandomNumberGenerator.GetBytes(ContentBytes));
        await agent.BackupAsync([source]);
        var before = (await ClientUsageAsync(agent.ClientId)).Usage;

        // The directory's new tree names the unchanged file too: its references exist and stay as
        // they are, and those of the new content are added.
        File.WriteAllBytes(Path.Combine(source, "changing.bin"), RandomNumberGenerator.GetBytes(ContentBytes));
        var incremental = await agent.BackupAsync([source]);
        var after = (await ClientUsageAsync(agent.ClientId)).Usage;

        Assert.Equal(1, incremental.GetProperty("files_unchanged").GetInt64());
        Assert.True(before.StoredBytes >= 2L * ContentBytes, $"{before}");
        // Both versions of the changed file and the unchanged one are charged (until a collection
        // drops what no snapshot names any more).
        AssertAbout(before.StoredBytes + ContentBytes, after.StoredBytes);
    }

    [Fact]
    public async Task ClientWithoutBackups_ZeroFigures()
    {
        var agent = await BackupAgent.EnrollAsync(Stack, await NewTenantAsync());

        var usage = (await ClientUsageAsync(agent.ClientId)).Usage;

        Assert.Equal(new UsageFigures(), usage);
    }

    [Fact]
    public async Task TenantKeys_SeeTheirOwnTenantOnly_OtherTenantsAreNotFound()
    {
        var tenantA = await NewTenantAsync();
        var agentA = await BackupAgent.EnrollAsync(Stack, tenantA);
        var readerA = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantA, ApiKeyRole.TenantReader));
        var keyB = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(await NewTenantAsync(), ApiKeyRole.TenantAdmin));

        await RpcAssert.StatusAsync(StatusCode.NotFound, () => Stack.ApiUsage.GetClientUsageAsync(new GetClientUsageRequest { ClientId = agentA.ClientId }, keyB));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => Stack.ApiUsage.GetTenantUsageAsync(new GetTenantUsageRequest { TenantId = tenantA }, keyB));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => Stack.ApiUsage.GetUsageHistoryAsync(new GetUsageHistoryRequest { ClientId = agentA.ClientId }, keyB));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => Stack.ApiUsage.GetUsageHistoryAsync(new GetUsageHistoryRequest { TenantId = tenantA }, keyB));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => Stack.ApiUsage.GetTenantUsageAsync(new GetTenantUsageRequest { TenantId = Guid.NewGuid().ToString() }, Stack.AdminHeaders));

        // A reader key may read; with no tenant named it gets its own.
        var own = await Stack.ApiUsage.GetTenantUsageAsync(new GetTenantUsageRequest(), readerA);
        Assert.Equal(tenantA, own.TenantId);
        Assert.Equal(agentA.ClientId, Assert.Single(own.Clients).ClientId);
    }

    [Fact]
    public async Task InvalidRequests_InvalidArgumentNamingTheField()
    {
        var agent = await BackupAgent.EnrollAsync(Stack, await NewTenantAsync());

        await RpcAssert.InvalidArgumentAsync("tenant_id", () => Stack.ApiUsage.GetTenantUsageAsync(new GetTenantUsageRequest(), Stack.AdminHeaders));
        await RpcAssert.InvalidArgumentAsync("client_id", () => Stack.ApiUsage.GetClientUsageAsync(new GetClientUsageRequest { ClientId = "nope" }, Stack.AdminHeaders));
        await RpcAssert.InvalidArgumentAsync("client_id", () => Stack.ApiUsage.GetUsageHistoryAsync(new GetUsageHistoryRequest(), Stack.AdminHeaders));
        await RpcAssert.InvalidArgumentAsync("client_id", () => Stack.ApiUsage.GetUsageHistoryAsync(
            new GetUsageHistoryRequest { ClientId = agent.ClientId, TenantId = agent.TenantId }, Stack.AdminHeaders));
        await RpcAssert.InvalidArgumentAsync("days", () => Stack.ApiUsage.GetUsageHistoryAsync(
            new GetUsageHistoryRequest { ClientId = agent.ClientId, Days = 367 }, Stack.AdminHeaders));
    }

    [Fact]
    public async Task Rest_ClientAndTenantUsage_SameNumbersAsGrpc()
    {
        var tenant = await NewTenantAsync();
        var key = await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantReader);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        await agent.BackupAsync([SourceWithRandomFile("usage-rest")]);

        var grpcClient = await Stack.ApiUsage.GetClientUsageAsync(new GetClientUsageRequest { ClientId = agent.ClientId }, UrbStack.KeyHeaders(key));
        var grpcTenant = await Stack.ApiUsage.GetTenantUsageAsync(new GetTenantUsageRequest { TenantId = tenant }, UrbStack.KeyHeaders(key));

        Assert.Equal(grpcClient, await RestGetAsync<ClientUsageFigures>(key, $"/v1/clients/{agent.ClientId}/usage"));
        Assert.Equal(grpcTenant, await RestGetAsync<TenantUsageFigures>(key, $"/v1/tenants/{tenant}/usage"));
        Assert.True(grpcClient.Usage.StoredBytes > 0);
    }

    private async Task<ClientUsageFigures> ClientUsageAsync(string clientId) =>
        await Stack.ApiUsage.GetClientUsageAsync(new GetClientUsageRequest { ClientId = clientId }, Stack.AdminHeaders);

    private async Task<string> NewTenantAsync() => await Stack.CreateTenantAsync("usage-" + Guid.NewGuid().ToString("N")[..8]);

    private string SourceWithRandomFile(string name)
    {
        var source = Stack.NewSourceDirectory(name);
        File.WriteAllBytes(Path.Combine(source, "random.bin"), RandomNumberGenerator.GetBytes(ContentBytes));
        return source;
    }

    private async Task<T> RestGetAsync<T>(string key, string path) where T : IMessage, new()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Stack.Ports[UrbStack.Api].Http}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonParser.Default.Parse<T>(body);
    }

    /// <summary>Within 5% (each snapshot adds a little metadata of its own).</summary>
    private static void AssertAbout(long expected, long actual) =>
        Assert.True(Math.Abs(actual - expected) <= expected / 20, $"expected about {expected}, got {actual}");
}
