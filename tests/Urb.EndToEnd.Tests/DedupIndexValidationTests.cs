using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Index.V1;
using Urb.EndToEnd.Tests.Infrastructure;
using static Urb.EndToEnd.Tests.DedupIndexTestData;

namespace Urb.EndToEnd.Tests;

/// <summary>Malformed requests are InvalidArgument naming the field, before anything is read or written.</summary>
[Collection(StackCollection.Name)]
public sealed class DedupIndexValidationTests(StackFixture fixture)
{
    private readonly DedupIndex.DedupIndexClient index = Client(fixture.Stack);

    [Theory]
    [InlineData("")]
    [InlineData("tenant-1")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task FindChunks_TenantNotAUuid_IsInvalidArgument(string tenant)
    {
        await AssertInvalidAsync("tenant_id", () => index.FindChunksAsync(new FindChunksRequest { TenantId = tenant, ChunkIds = Pack(RandomId()) }));
    }

    [Fact]
    public async Task FindChunks_IdsNotAMultipleOf32Bytes_IsInvalidArgument()
    {
        await AssertInvalidAsync("chunk_ids", () =>
            index.FindChunksAsync(new FindChunksRequest { TenantId = NewTenant(), ChunkIds = ByteString.CopyFrom(new byte[33]) }));
    }

    [Fact]
    public async Task FindChunks_MoreThanTheLimit_IsInvalidArgument()
    {
        await AssertInvalidAsync("chunk_ids", () =>
            index.FindChunksAsync(new FindChunksRequest { TenantId = NewTenant(), ChunkIds = ByteString.CopyFrom(new byte[32 * 65537]) }));
    }

    [Theory]
    [InlineData("", 0, 10, "chunks[1].pack")]
    [InlineData("ABCDEF", 0, 10, "chunks[1].pack")]
    [InlineData("../etc", 0, 10, "chunks[1].pack")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000", 0, 10, "chunks[1].pack")]
    [InlineData("abcdef", -1, 10, "chunks[1].offset")]
    [InlineData("abcdef", 0, 0, "chunks[1].length")]
    public async Task RegisterChunks_BadLocation_IsInvalidArgumentNamingTheField(string pack, long offset, int length, string field)
    {
        var bad = Location(RandomId(), length: 10);
        (bad.Pack, bad.Offset, bad.Length) = (pack, offset, length);

        await AssertInvalidAsync(field, () =>
            index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = NewTenant(), Chunks = { Location(RandomId()), bad } }));
    }

    [Fact]
    public async Task RegisterChunks_ShortChunkId_IsInvalidArgument()
    {
        var bad = Location(RandomId());
        bad.ChunkId = ByteString.CopyFrom(new byte[31]);

        await AssertInvalidAsync("chunks[0].chunk_id", () =>
            index.RegisterChunksAsync(new RegisterChunksRequest { TenantId = NewTenant(), Chunks = { bad } }));
    }

    [Fact]
    public async Task FindFileEntries_ShortHash_IsInvalidArgument()
    {
        await AssertInvalidAsync("file_hashes[1]", () => index.FindFileEntriesAsync(new FindFileEntriesRequest
        {
            TenantId = NewTenant(),
            FileHashes = { Pack(RandomId()), ByteString.CopyFrom(new byte[16]) },
        }));
    }

    [Fact]
    public async Task PutFileEntries_ChunkListNotAMultipleOf32Bytes_IsInvalidArgument()
    {
        var entry = Entry(RandomId(), 10);
        entry.ChunkIds = ByteString.CopyFrom(new byte[40]);

        await AssertInvalidAsync("entries[0].chunk_ids", () =>
            index.PutFileEntriesAsync(new PutFileEntriesRequest { TenantId = NewTenant(), Entries = { entry } }));
    }

    [Fact]
    public async Task AddReferences_ClientNotAUuid_IsInvalidArgument()
    {
        await AssertInvalidAsync("client_id", () =>
            index.AddReferencesAsync(new ReferencesRequest { TenantId = NewTenant(), ClientId = "laptop", ChunkIds = Pack(RandomId()) }));
    }

    [Fact]
    public async Task GetUsage_ClientNotAUuid_IsInvalidArgument()
    {
        await AssertInvalidAsync("client_id", () => index.GetUsageAsync(new GetUsageRequest { TenantId = NewTenant(), ClientId = "x" }));
    }

    private static Task AssertInvalidAsync<T>(string field, Func<AsyncUnaryCall<T>> call) => RpcAssert.InvalidArgumentAsync(field, call);
}
