using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Content;
using Urb.EndToEnd.Tests.Infrastructure;
using static Urb.EndToEnd.Tests.Infrastructure.BackupStreams;

namespace Urb.EndToEnd.Tests;

/// <summary>What a damaged or hostile agent can not do to the snapshots: every bad upload is refused and nothing is committed.</summary>
[Collection(StackCollection.Name)]
public sealed class FileBackupHostileTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Upload_ChunkNotMatchingItsId_IsDataLossAndNothingIsCommitted()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var client = agent.RawClient();
        using var call = client.Run();
        var key = await StartAsync(call);
        var data = "the real content"u8.ToArray();
        var id = ChunkId.Compute(key, data);
        data[0] ^= 1;

        await call.RequestStream.WriteAsync(Upload(id, data, tree: false));
        var error = await CommitRefusedAsync(call, id);
        Assert.Equal(StatusCode.DataLoss, error.StatusCode);
        Assert.Contains(ChunkId.ToHex(id), error.Status.Detail);
        Assert.Empty((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task UploadBatch_OneChunkNotMatchingItsId_IsDataLossNamingItAndNothingIsCommitted()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var client = agent.RawClient();
        using var call = client.Run();
        var (key, acceptsBatches) = await StartWithBatchesAsync(call);
        Assert.True(acceptsBatches, "the server says it takes batches of uploads");
        var good = "good content"u8.ToArray();
        var bad = "the real content"u8.ToArray();
        var badId = ChunkId.Compute(key, bad);
        bad[0] ^= 1;

        await call.RequestStream.WriteAsync(new BackupRequest { Chunks = new ChunkUploads { Pieces = { Piece(ChunkId.Compute(key, good), good), Piece(badId, bad) } } });
        var error = await CommitRefusedAsync(call, badId);

        Assert.Equal(StatusCode.DataLoss, error.StatusCode);
        Assert.Contains(ChunkId.ToHex(badId), error.Status.Detail);
        Assert.Empty((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task UploadBatch_ObjectsSplitAcrossPiecesAndMessages_CommitAndRestoreByteForByte()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var client = agent.RawClient();
        using var call = client.Run();
        var (key, _) = await StartWithBatchesAsync(call);
        var small = "a small file"u8.ToArray();
        var large = new byte[300_000];
        Random.Shared.NextBytes(large);
        var (smallId, largeId) = (ChunkId.Compute(key, small), ChunkId.Compute(key, large));
        var tree = new Tree
        {
            Nodes =
            {
                new Node { Name = "large", Type = NodeType.File, Size = large.Length, Permissions = 0x1a4, ChunkIds = ByteString.CopyFrom(largeId) },
                new Node { Name = "small", Type = NodeType.File, Size = small.Length, Permissions = 0x1a4, ChunkIds = ByteString.CopyFrom(smallId) },
            },
        }.ToByteArray();
        var treeId = ChunkId.Compute(key, tree);

        // The large object's first piece shares a message with the small one; its second piece
        // ends it in the next message, together with the tree.
        await call.RequestStream.WriteAsync(new BackupRequest
        {
            Chunks = new ChunkUploads { Pieces = { Piece(smallId, small), new ChunkUpload { Id = ByteString.CopyFrom(largeId), Data = ByteString.CopyFrom(large, 0, 100_000) } } },
        });
        await call.RequestStream.WriteAsync(new BackupRequest
        {
            Chunks = new ChunkUploads { Pieces = { new ChunkUpload { Data = ByteString.CopyFrom(large, 100_000, 200_000), EndOfChunk = true }, Piece(treeId, tree, isTree: true) } },
        });
        await call.RequestStream.WriteAsync(new BackupRequest { Commit = new BackupCommit { RootIds = ByteString.CopyFrom(treeId) } });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(BackupResponse.KindOneofCase.Committed, call.ResponseStream.Current.KindCase);

        var target = Path.Combine(Stack.Directory, "batched-" + Guid.NewGuid().ToString("N")[..8]);
        var restore = await agent.RestoreAsync("latest", "", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(small, File.ReadAllBytes(Path.Combine(target, "small")));
        Assert.Equal(large, File.ReadAllBytes(Path.Combine(target, "large")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("nul\0byte")]
    [InlineData("back\\slash")]
    [InlineData("")]
    public async Task Upload_TreeWithUnsafeName_IsInvalidArgument(string name)
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var client = agent.RawClient();
        using var call = client.Run();
        var key = await StartAsync(call);
        var tree = new Tree { Nodes = { new Node { Name = name, Type = NodeType.File } } }.ToByteArray();
        var id = ChunkId.Compute(key, tree);

        await call.RequestStream.WriteAsync(Upload(id, tree, tree: true));
        var error = await CommitRefusedAsync(call, id);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Empty((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task Commit_TreeNamingContentTheServerLacks_IsRefused()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var client = agent.RawClient();
        using var call = client.Run();
        var key = await StartAsync(call);
        var never = ChunkId.Compute(key, "never uploaded"u8);
        var tree = new Tree { Nodes = { new Node { Name = "file", Type = NodeType.File, Size = 14, ChunkIds = ByteString.CopyFrom(never) } } }.ToByteArray();
        var id = ChunkId.Compute(key, tree);

        await call.RequestStream.WriteAsync(Upload(id, tree, tree: true));
        await call.RequestStream.WriteAsync(new BackupRequest { Commit = new BackupCommit { RootIds = ByteString.CopyFrom(id) } });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Empty((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task Commit_AStoredContentChunkAsTheRoot_IsInvalidArgument()
    {
        var client = (await BackupAgent.EnrollAsync(Stack)).RawClient();
        // Not a protobuf message at all (a malformed varint), so it cannot pass for a tree when read back either.
        var content = new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02 };
        byte[] contentId;
        using (var first = client.Run())
        {
            var key = await StartAsync(first);
            contentId = ChunkId.Compute(key, content);
            var tree = new Tree { Nodes = { new Node { Name = "file", Type = NodeType.File, Size = content.Length, Permissions = 0x1a4, ChunkIds = ByteString.CopyFrom(contentId) } } }.ToByteArray();
            var treeId = ChunkId.Compute(key, tree);
            await first.RequestStream.WriteAsync(Upload(contentId, content, tree: false));
            await first.RequestStream.WriteAsync(Upload(treeId, tree, tree: true));
            await first.RequestStream.WriteAsync(new BackupRequest { Commit = new BackupCommit { RootIds = ByteString.CopyFrom(treeId) } });
            await first.RequestStream.CompleteAsync();
            Assert.True(await first.ResponseStream.MoveNext());
            Assert.Equal(BackupResponse.KindOneofCase.Committed, first.ResponseStream.Current.KindCase);
        }

        // The next backup names the stored content itself as its root, uploading nothing.
        using var second = client.Run();
        await StartAsync(second);
        var error = await CommitRefusedAsync(second, contentId);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("not a valid tree object", error.Status.Detail);
        Assert.Single((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task Restore_AnotherClientsSnapshot_IsNotFound()
    {
        var owner = await BackupAgent.EnrollAsync(Stack);
        var other = await BackupAgent.EnrollAsync(Stack);
        var source = Directory.CreateDirectory(Path.Combine(Stack.Directory, "private-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllText(Path.Combine(source, "secret.txt"), "only mine");
        var backup = (await owner.BackupAsync([source])).GetProperty("backup_id").GetString()!;

        var restore = await other.RestoreAsync(backup, "", Path.Combine(Stack.Directory, "stolen-" + Guid.NewGuid().ToString("N")[..8]));
        var listing = await other.RunAsync("ls", "--backup", backup);

        Assert.NotEqual(0, restore.ExitCode);
        Assert.Contains("not a completed backup of this client", restore.StandardError);
        Assert.NotEqual(0, listing.ExitCode);
        Assert.Empty((await other.RawClient().ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task Backup_StreamCutBeforeCommit_LeavesNoSnapshotAndTheRetrySendsOnlyWhatIsMissing()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var client = agent.RawClient();
        var source = Directory.CreateDirectory(Path.Combine(Stack.Directory, "cut-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var data = new byte[2_000_000];
        Random.Shared.NextBytes(data);
        File.WriteAllBytes(Path.Combine(source, "data.bin"), data);

        // The first attempt uploads a chunk of the file's content, then the connection is cut.
        using (var call = client.Run())
        {
            var key = await StartAsync(call);
            var firstChunk = FirstChunk(data);
            await call.RequestStream.WriteAsync(Upload(ChunkId.Compute(key, firstChunk), firstChunk, tree: false));
            // A query after the upload returns once the upload was received.
            await call.RequestStream.WriteAsync(new BackupRequest { Query = new ChunkQuery { Ids = ByteString.CopyFrom(ChunkId.Compute(key, firstChunk)) } });
            Assert.True(await call.ResponseStream.MoveNext());
        }
        Assert.Empty((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
        await WaitForStatusAsync(agent.ClientId, "interrupted");

        var retry = await agent.BackupAsync([source]);

        Assert.True(retry.GetProperty("chunks_known").GetInt64() >= 1, $"the chunk stored by the cut attempt is not sent again: {retry}");
        Assert.True(retry.GetProperty("bytes_new").GetInt64() < data.Length);
        Assert.Single((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task Run_MessageThatIsNotProtobuf_IsRefusedAndNothingIsCommitted()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var channel = agent.RawChannel();
        var bytes = Marshallers.Create(static (byte[] b) => b, static b => b);
        var run = new Method<byte[], byte[]>(MethodType.DuplexStreaming, Backups.Descriptor.FullName, "Run", bytes, bytes);
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(run, null, new CallOptions());

        // A field header announcing 2 GiB of bytes that never come.
        await call.RequestStream.WriteAsync([0x0a, 0xff, 0xff, 0xff, 0xff, 0x07, 0x01]);
        await call.RequestStream.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("not valid protobuf", error.Status.Detail);
        Assert.Empty((await new Backups.BackupsClient(channel).ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
        Assert.Equal(0, await Stack.Database.ScalarAsync<long>($"SELECT count(*) FROM ingest.backups WHERE client_id = '{agent.ClientId}'"));
    }

    /// <summary>The server records how the attempt ended once it has made its uploads durable.</summary>
    private async Task WaitForStatusAsync(string clientId, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await Stack.Database.ScalarAsync<long>($"SELECT count(*) FROM ingest.backups WHERE client_id = '{clientId}' AND status = '{status}'") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no backup of {clientId} became {status}: " +
                await Stack.Database.ScalarAsync<string>($"SELECT string_agg(status || ': ' || coalesce(failure, ''), '; ') FROM ingest.backups WHERE client_id = '{clientId}'"));
            await Task.Delay(100);
        }
    }

    private static byte[] FirstChunk(byte[] data)
    {
        var cut = ContentDefinedChunkerCut(data);
        return data[..cut];
    }

    private static int ContentDefinedChunkerCut(byte[] data) => Urb.Domain.Content.Chunking.ContentDefinedChunker.Default.NextCut(data);

    private static async Task<byte[]> StartAsync(AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call) =>
        (await StartWithBatchesAsync(call)).Key;

    private static async Task<(byte[] Key, bool AcceptsBatches)> StartWithBatchesAsync(AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call)
    {
        await call.RequestStream.WriteAsync(new BackupRequest { Start = new BackupStart { Kind = BackupKind.Incremental, Paths = { "/hostile" } } });
        Assert.True(await call.ResponseStream.MoveNext());
        var started = call.ResponseStream.Current.Started;
        return (started.ChunkIdKey.ToByteArray(), started.AcceptsChunkBatches);
    }

    private static ChunkUpload Piece(byte[] id, byte[] data, bool isTree = false) =>
        new() { Id = ByteString.CopyFrom(id), Data = ByteString.CopyFrom(data), EndOfChunk = true, Tree = isTree };

    private static BackupRequest Upload(byte[] id, byte[] data, bool tree) =>
        new() { Chunk = new ChunkUpload { Id = ByteString.CopyFrom(id), Data = ByteString.CopyFrom(data), EndOfChunk = true, Tree = tree } };
}
