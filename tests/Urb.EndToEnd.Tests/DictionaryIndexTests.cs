using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.Domain.Content;
using Urb.EndToEnd.Tests.Infrastructure;
using static Urb.EndToEnd.Tests.DedupIndexTestData;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Compression dictionaries in the index: IDs reserved in zstd's private range, registration of a
/// stored dictionary object (idempotent, refused for another's ID or an object not stored), lookups
/// by ID and by client inside one tenant only, and garbage collection that never removes one.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DictionaryIndexTests(StackFixture fixture)
{
    private readonly DedupIndex.DedupIndexClient index = Client(fixture.Stack);

    [Fact]
    public async Task ReserveDictionaryId_TwoCalls_DifferentIdsInZstdsPrivateRange()
    {
        var first = (await index.ReserveDictionaryIdAsync(new ReserveDictionaryIdRequest())).DictionaryId;
        var second = (await index.ReserveDictionaryIdAsync(new ReserveDictionaryIdRequest())).DictionaryId;

        Assert.NotEqual(first, second);
        Assert.InRange(first, ZstdDict.FirstId, ZstdDict.LastId);
        Assert.InRange(second, ZstdDict.FirstId, ZstdDict.LastId);
    }

    [Fact]
    public async Task RegisterDictionary_StoredObject_FoundByIdAndByClientNewestFirst()
    {
        var (tenant, client) = (NewTenant(), Guid.NewGuid().ToString());
        var (older, newer) = (await NewDictionaryAsync(tenant, client), await NewDictionaryAsync(tenant, client));

        var again = await index.RegisterDictionaryAsync(new RegisterDictionaryRequest { TenantId = tenant, Dictionary = older });
        var byId = await index.FindDictionariesAsync(new FindDictionariesRequest { TenantId = tenant, DictionaryId = older.DictionaryId });
        var byClient = await index.FindDictionariesAsync(new FindDictionariesRequest { TenantId = tenant, ClientId = client });
        var otherClient = await index.FindDictionariesAsync(new FindDictionariesRequest { TenantId = tenant, ClientId = Guid.NewGuid().ToString() });

        Assert.False(again.Added);
        Assert.Equal(older, Assert.Single(byId.Dictionaries));
        Assert.Equal([newer, older], byClient.Dictionaries);
        Assert.Empty(otherClient.Dictionaries);
    }

    [Fact]
    public async Task FindDictionaries_AnotherTenantsId_FindsNothing()
    {
        var client = Guid.NewGuid().ToString();
        var dictionary = await NewDictionaryAsync(NewTenant(), client);

        var found = await index.FindDictionariesAsync(new FindDictionariesRequest { TenantId = NewTenant(), DictionaryId = dictionary.DictionaryId });

        Assert.Empty(found.Dictionaries);
    }

    [Fact]
    public async Task RegisterDictionary_IdTakenOrObjectNotStoredOrIdOutOfRange_IsRefused()
    {
        var (tenant, client) = (NewTenant(), Guid.NewGuid().ToString());
        var taken = await NewDictionaryAsync(tenant, client);
        var otherObject = RandomId();
        await RegisterAsync(index, tenant, otherObject);

        var idTaken = await RefusedAsync(tenant, new DictionaryInfo { DictionaryId = taken.DictionaryId, ChunkId = Pack(otherObject), ClientId = client });
        var notStored = await RefusedAsync(tenant, new DictionaryInfo { DictionaryId = await ReserveAsync(), ChunkId = Pack(RandomId()), ClientId = client });
        var outOfRange = await RefusedAsync(tenant, new DictionaryInfo { DictionaryId = 7, ChunkId = Pack(otherObject), ClientId = client });

        Assert.Equal(StatusCode.AlreadyExists, idTaken.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, notStored.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, outOfRange.StatusCode);
    }

    [Fact]
    public async Task Sweep_DictionaryNoSnapshotReaches_IsKept()
    {
        var (tenant, client) = (NewTenant(), Guid.NewGuid().ToString());
        var dictionary = await NewDictionaryAsync(tenant, client);
        var unused = RandomId();
        await RegisterAsync(index, tenant, unused);

        var first = await SweepRunAsync(index, tenant, DateTimeOffset.UtcNow.AddSeconds(1), client);
        var second = await SweepRunAsync(index, tenant, DateTimeOffset.UtcNow.AddSeconds(2), client);

        Assert.Equal((1L, 1L), (first.Condemned, second.Deleted));
        Assert.Equal(new byte[] { 1, 0 }, await FindAsync(index, tenant, dictionary.ChunkId.ToByteArray(), unused));
        Assert.Single((await index.FindDictionariesAsync(new FindDictionariesRequest { TenantId = tenant, DictionaryId = dictionary.DictionaryId })).Dictionaries);
    }

    private async Task<uint> ReserveAsync() => (await index.ReserveDictionaryIdAsync(new ReserveDictionaryIdRequest())).DictionaryId;

    /// <summary>A stored object registered as a new dictionary of the client.</summary>
    private async Task<DictionaryInfo> NewDictionaryAsync(string tenant, string client)
    {
        var id = RandomId();
        await RegisterAsync(index, tenant, id);
        var dictionary = new DictionaryInfo { DictionaryId = await ReserveAsync(), ChunkId = Pack(id), ClientId = client };
        Assert.True((await index.RegisterDictionaryAsync(new RegisterDictionaryRequest { TenantId = tenant, Dictionary = dictionary })).Added);
        return dictionary;
    }

    private Task<RpcException> RefusedAsync(string tenant, DictionaryInfo dictionary) =>
        Assert.ThrowsAsync<RpcException>(() => index.RegisterDictionaryAsync(new RegisterDictionaryRequest { TenantId = tenant, Dictionary = dictionary }).ResponseAsync);
}
