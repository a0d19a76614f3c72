using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Content;
using Urb.EndToEnd.Tests.Infrastructure;
using static Urb.EndToEnd.Tests.Infrastructure.BackupStreams;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// What an agent can not do with dictionaries: upload frames of a dictionary that is not its
/// client's, or hand the server a dictionary it did not ask for, under another ID, or one zstd
/// cannot use. Each is InvalidArgument, and nothing is committed.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class CompressionDictionaryHostileTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Upload_FrameOfADictionaryNotTheClients_IsInvalidArgumentAndNothingIsCommitted()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var client = agent.RawClient();
        using var call = client.Run();
        var started = await StartAsync(call, acceptsDictionaries: true);
        var foreign = Train(started.NewDictionaryId + 1_000);
        var content = Sample(1);
        var frame = new byte[Zstd.CompressBound(content.Length)];
        var length = Zstd.Compress(content, frame, 3, foreign);
        var id = ChunkId.Compute(started.ChunkIdKey.Span, content);

        await call.RequestStream.WriteAsync(new BackupRequest
        {
            Chunk = new ChunkUpload { Id = ByteString.CopyFrom(id), Data = ByteString.CopyFrom(frame, 0, length), Compressed = true, EndOfChunk = true },
        });
        var error = await CommitRefusedAsync(call, id);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"dictionary {foreign.Id}, which is not this client's", error.Status.Detail);
        Assert.Empty((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task Dictionary_NotAskedFor_IsInvalidArgument()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var call = agent.RawClient().Run();
        var started = await StartAsync(call, acceptsDictionaries: false);
        Assert.Equal(0u, started.NewDictionaryId);

        var error = await SendAsync(call, Train(ZstdDict.FirstId + 5));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("takes no new dictionary", error.Status.Detail);
    }

    [Fact]
    public async Task Dictionary_UnderAnotherIdThanReserved_IsInvalidArgument()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var call = agent.RawClient().Run();
        var started = await StartAsync(call, acceptsDictionaries: true);

        var error = await SendAsync(call, Train(started.NewDictionaryId + 1));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"is {started.NewDictionaryId}", error.Status.Detail);
    }

    [Fact]
    public async Task Dictionary_ContentZstdCannotUse_IsInvalidArgumentAndNotRegistered()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var call = agent.RawClient().Run();
        var started = await StartAsync(call, acceptsDictionaries: true);
        var damaged = Train(started.NewDictionaryId).Content.ToArray();
        Array.Fill(damaged, (byte)0xFF, 8, 64);

        var error = await RefusedAsync(call, new BackupRequest
        {
            Dictionary = new CompressionDictionary { Id = started.NewDictionaryId, Content = ByteString.CopyFrom(damaged) },
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Not a usable zstd dictionary", error.Status.Detail);
        Assert.Equal(0, await Stack.Database.ScalarAsync<long>($"SELECT count(*) FROM dedup.dictionaries WHERE client_id = '{agent.ClientId}'"));
    }

    private static async Task<BackupStarted> StartAsync(AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call, bool acceptsDictionaries)
    {
        await call.RequestStream.WriteAsync(new BackupRequest
        {
            Start = new BackupStart { Kind = BackupKind.Incremental, Paths = { "/hostile" }, AcceptsDictionaries = acceptsDictionaries },
        });
        Assert.True(await call.ResponseStream.MoveNext());
        return call.ResponseStream.Current.Started;
    }

    private static Task<RpcException> SendAsync(AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call, ZstdDict dictionary) =>
        RefusedAsync(call, new BackupRequest
        {
            Dictionary = new CompressionDictionary { Id = dictionary.Id, Content = ByteString.CopyFrom(dictionary.Content.Span) },
        });

    private static ZstdDict Train(uint id) => ZstdDict.Train(Enumerable.Range(0, 200).Select(i => (ReadOnlyMemory<byte>)Sample(i)).ToList(), 16 * 1024, id)!;

    private static byte[] Sample(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("#include <stdio.h>\n/* shared header of every sample */\n");
        for (var line = 0; line < 60; line++) text.Append("int value_").Append(random.Next(1000)).Append(" = ").Append(random.Next(100_000)).Append(";\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
