using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.EndToEnd.Tests.Infrastructure;
using static Urb.EndToEnd.Tests.DedupIndexTestData;

namespace Urb.EndToEnd.Tests;

/// <summary>References and usage accounting: shared content is charged to its clients in equal parts.</summary>
[Collection(StackCollection.Name)]
public sealed class DedupIndexUsageTests(StackFixture fixture)
{
    private readonly DedupIndex.DedupIndexClient index = Client(fixture.Stack);

    [Fact]
    public async Task GetUsage_SharedChunk_IsChargedInEqualParts()
    {
        var tenant = NewTenant();
        var (alice, bob) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var (shared, own, unreferenced) = (RandomId(), RandomId(), RandomId());
        await index.RegisterChunksAsync(new RegisterChunksRequest
        {
            TenantId = tenant,
            Chunks = { Location(shared, length: 1000), Location(own, length: 300), Location(unreferenced, length: 77) },
        });

        var addedAlice = await AddAsync(tenant, alice, shared, own);
        var addedBob = await AddAsync(tenant, bob, shared);
        var addedAgain = await AddAsync(tenant, alice, shared, own);
        var usage = await index.GetUsageAsync(new GetUsageRequest { TenantId = tenant });

        Assert.Equal((2, 1, 0), (addedAlice, addedBob, addedAgain));
        Assert.Equal(1377, usage.TenantStoredBytes);
        Assert.Equal(3, usage.TenantChunks);
        Assert.Equal(2, usage.Clients.Count);
        var a = usage.Clients.Single(c => c.ClientId == alice);
        var b = usage.Clients.Single(c => c.ClientId == bob);
        Assert.Equal((800L, 2600L, 2L), (a.StoredBytes, a.PlainBytes, a.Chunks));
        Assert.Equal((500L, 2000L, 1L), (b.StoredBytes, b.PlainBytes, b.Chunks));
    }

    [Fact]
    public async Task RemoveReferences_LastSharer_PaysTheWholeChunk()
    {
        var tenant = NewTenant();
        var (alice, bob) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var shared = RandomId();
        await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { Location(shared, length: 1000) } });
        await AddAsync(tenant, alice, shared);
        await AddAsync(tenant, bob, shared);

        var removed = await index.RemoveReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = bob, ChunkIds = Pack(shared, RandomId()) });
        var removedAgain = await index.RemoveReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = bob, ChunkIds = Pack(shared) });
        var usageAlice = await index.GetUsageAsync(new GetUsageRequest { TenantId = tenant, ClientId = alice });
        var usageBob = await index.GetUsageAsync(new GetUsageRequest { TenantId = tenant, ClientId = bob });

        Assert.Equal((1, 0), (removed.Changed, removedAgain.Changed));
        Assert.Equal(1000, Assert.Single(usageAlice.Clients).StoredBytes);
        var bobUsage = Assert.Single(usageBob.Clients);
        Assert.Equal((bob, 0L, 0L), (bobUsage.ClientId, bobUsage.StoredBytes, bobUsage.Chunks));
    }

    [Fact]
    public async Task GetUsage_ThreeSharers_AreEachChargedTheRoundedThird()
    {
        var tenant = NewTenant();
        var chunk = RandomId();
        await index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = tenant, Chunks = { Location(chunk, length: 100) } });
        foreach (var client in new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() }) await AddAsync(tenant, client.ToString(), chunk);

        var usage = await index.GetUsageAsync(new GetUsageRequest { TenantId = tenant });

        Assert.All(usage.Clients, c => Assert.Equal(33, c.StoredBytes));
        Assert.Equal(3, usage.Clients.Count);
    }

    [Fact]
    public async Task AddReferences_UnstoredChunk_IsFailedPreconditionAndAddsNothing()
    {
        var tenant = NewTenant();
        var client = Guid.NewGuid().ToString();
        var (stored, notStored) = (RandomId(), RandomId());
        await RegisterAsync(index, tenant, stored);

        var e = await Assert.ThrowsAsync<RpcException>(() => AddAsync(tenant, client, stored, notStored));
        var usage = await index.GetUsageAsync(new GetUsageRequest { TenantId = tenant, ClientId = client });

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains(Convert.ToHexStringLower(notStored), e.Status.Detail);
        Assert.Equal(0, Assert.Single(usage.Clients).Chunks);
    }

    [Fact]
    public async Task AddReferences_ToAnotherTenantsChunk_IsFailedPrecondition()
    {
        var (tenantA, tenantB) = (NewTenant(), NewTenant());
        var chunk = RandomId();
        await RegisterAsync(index, tenantA, chunk);

        var e = await Assert.ThrowsAsync<RpcException>(() => AddAsync(tenantB, Guid.NewGuid().ToString(), chunk));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
    }

    [Fact]
    public async Task AddReferences_NamingOneAgain_AnswersOnlyTheNewOne_AndLeavesTheOldRowAsItWas()
    {
        var tenant = NewTenant();
        var client = Guid.NewGuid().ToString();
        var (old, fresh) = (RandomId(), RandomId());
        await RegisterAsync(index, tenant, old, fresh);
        await AddAsync(tenant, client, old);
        var touchedBefore = await TouchedAtAsync(client, old);
        await Task.Delay(20);

        var again = await index.AddReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = client, ChunkIds = Pack(old, fresh) });

        Assert.Equal(1, again.Changed);
        Assert.Equal(fresh, again.AddedIds.ToByteArray());
        // An incremental backup names every unchanged file of a changed directory again: those rows are not rewritten.
        Assert.Equal(touchedBefore, await TouchedAtAsync(client, old));
        Assert.True(await TouchedAtAsync(client, fresh) > touchedBefore);
    }

    private Task<DateTime> TouchedAtAsync(string client, byte[] chunk) =>
        fixture.Stack.Database.ScalarAsync<DateTime>($"""
            SELECT r.touched_at FROM dedup.chunk_refs r JOIN dedup.chunks c ON c.id = r.chunk_row_id
            WHERE r.client_id = '{client}' AND c.chunk_id = '\x{Convert.ToHexStringLower(chunk)}'
            """);

    private async Task<int> AddAsync(string tenant, string client, params byte[][] ids) =>
        (await index.AddReferencesAsync(new ReferencesRequest { TenantId = tenant, ClientId = client, ChunkIds = Pack(ids) })).Changed;
}
