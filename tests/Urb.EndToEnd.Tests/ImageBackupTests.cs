using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Settings.V1;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Content;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Image backups of volumes (files holding a volume, and loop block devices) through the whole
/// stack: restored byte for byte, a second image sends about what changed, a restore never
/// writes over a mounted or too small device, and the server can start one on a daemon.
/// </summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImageBackupTests(StackFixture fixture)
{
    private const int MiB = 1024 * 1024;
    private const int UsageError = 2;

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task FileVolume_RestoresByteIdentical_AndTheNextImageSendsAboutWhatChanged()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var volume = NewVolume("vol.img", 48 * MiB);
        var before = File.ReadAllBytes(volume);

        var first = await agent.ImageBackupAsync([volume]);
        var firstRestore = Path.Combine(Stack.NewSourceDirectory("image-restored"), "first.img");
        (await agent.RunAsync("restore-image", "--backup", "latest", "--to", firstRestore, "--json")).EnsureSuccess();
        Assert.Equal(before, File.ReadAllBytes(firstRestore));
        Assert.Equal(48 * MiB, first.GetProperty("total_bytes").GetInt64());

        // 1 MiB changed in the middle: every block is read again, only its chunks are sent.
        var changed = new byte[MiB];
        Random.Shared.NextBytes(changed);
        using (var stream = new FileStream(volume, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 24 * MiB;
            stream.Write(changed);
        }
        var second = await agent.ImageBackupAsync([volume]);
        Assert.Equal(48 * MiB, second.GetProperty("bytes_read").GetInt64());
        Assert.True(second.GetProperty("bytes_sent").GetInt64() < 4 * MiB, second.ToString());

        var secondRestore = Path.Combine(Stack.NewSourceDirectory("image-restored"), "second.img");
        (await agent.RunAsync("restore-image", "--backup", Id(second), "--volume", NameOf(volume), "--to", secondRestore)).EnsureSuccess();
        Assert.Equal(File.ReadAllBytes(volume), File.ReadAllBytes(secondRestore));
        // Restoring an older image over an existing file truncates it to that image.
        (await agent.RunAsync("restore-image", "--backup", Id(first), "--to", secondRestore)).EnsureSuccess();
        Assert.Equal(before, File.ReadAllBytes(secondRestore));

        var kinds = JsonDocument.Parse((await agent.RunAsync("backups", "--json")).EnsureSuccess().StandardOutput).RootElement
            .EnumerateArray().Select(b => b.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["incremental image", "incremental image"], kinds);
    }

    [Fact]
    public async Task ImageSnapshot_IsOneFilePerVolume_AndPlainRestoreWritesThemAsFiles()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var one = NewVolume("one.img", 3 * MiB);
        var two = NewVolume("two", 2 * MiB + 123);

        var summary = await agent.ImageBackupAsync([one, two], full: true);
        var entries = (await agent.RunAsync("ls", "--backup", Id(summary), "--json")).EnsureSuccess().StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var target = Stack.NewSourceDirectory("image-as-files");
        (await agent.RestoreAsync(Id(summary), "", target)).EnsureSuccess();

        Assert.Equal(new[] { NameOf(one), NameOf(two) }.Order(StringComparer.Ordinal), entries.Select(e => e.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal("600", e.GetProperty("mode").GetString()));
        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(Path.Combine(target, NameOf(one))));
        Assert.Equal(File.ReadAllBytes(two), File.ReadAllBytes(Path.Combine(target, NameOf(two))));
        var run = await agent.RunAsync("restore-image", "--backup", Id(summary), "--to", Path.Combine(target, "x.img"));
        Assert.Equal(UsageError, run.ExitCode);
        Assert.Contains("--volume", run.StandardError);
        var kind = JsonDocument.Parse((await agent.RunAsync("backups", "--json")).StandardOutput).RootElement[0].GetProperty("kind").GetString();
        Assert.Equal("full image", kind);
    }

    [Fact]
    public async Task RestoreImage_ToAFile_LeavesHolesWhereTheImageIsZeros()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var volume = Path.Combine(Stack.NewSourceDirectory("volume"), "mostly-empty.img");
        var data = new byte[32 * MiB];
        Random.Shared.NextBytes(data.AsSpan(0, MiB));
        Random.Shared.NextBytes(data.AsSpan(31 * MiB, 100));
        File.WriteAllBytes(volume, data);

        await agent.ImageBackupAsync([volume]);
        var restored = Path.Combine(Stack.NewSourceDirectory("image-restored"), "sparse.img");
        (await agent.RunAsync("restore-image", "--backup", "latest", "--to", restored)).EnsureSuccess();

        Assert.Equal(data, File.ReadAllBytes(restored));
        Assert.True(TreeComparison.AllocatedBlocks(restored) * 512 < 8 * MiB, "the zeros are holes");
    }

    [Fact]
    public async Task ImageBackup_OfADirectoryOrWithoutVolumes_IsAUsageError()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);

        var directory = await agent.RunAsync("backup", "--image", "--volume", Stack.NewSourceDirectory("not-a-volume"));
        var none = await agent.RunAsync("backup", "--image");

        Assert.Equal(UsageError, directory.ExitCode);
        Assert.Contains("is a directory", directory.StandardError);
        Assert.Equal(UsageError, none.ExitCode);
        Assert.Contains("image_volumes", none.StandardError);
    }

    [Fact]
    public async Task ImageKind_WithASymlinkAtItsRoot_IsInvalidArgumentAndNothingIsCommitted()
    {
        var client = (await BackupAgent.EnrollAsync(Stack)).RawClient();
        using var call = client.Run();
        await call.RequestStream.WriteAsync(new BackupRequest { Start = new BackupStart { Kind = BackupKind.ImageIncremental, Paths = { "/dev/sdz" } } });
        Assert.True(await call.ResponseStream.MoveNext());
        var key = call.ResponseStream.Current.Started.ChunkIdKey.ToByteArray();
        var tree = new Tree { Nodes = { new Node { Name = "sdz.img", Type = NodeType.Symlink, LinkTarget = "/etc/shadow" } } }.ToByteArray();
        var id = ChunkId.Compute(key, tree);

        await call.RequestStream.WriteAsync(new BackupRequest
        {
            Chunk = new ChunkUpload { Id = ByteString.CopyFrom(id), Data = ByteString.CopyFrom(tree), EndOfChunk = true, Tree = true },
        });
        await call.RequestStream.WriteAsync(new BackupRequest { Commit = new BackupCommit { RootIds = ByteString.CopyFrom(id) } });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("only volumes", error.Status.Detail);
        Assert.Empty((await client.ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
    }

    [Fact]
    public async Task LoopDevice_ImageRestoresToAFileAndToAnotherDevice()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var source = LoopDevice.Attach(NewVolume("loop-source", 16 * MiB));
        using var other = LoopDevice.Attach(NewVolume("loop-target", 16 * MiB));

        var summary = await agent.ImageBackupAsync([source.Path]);
        var file = Path.Combine(Stack.NewSourceDirectory("loop-restored"), "loop.img");
        (await agent.RunAsync("restore-image", "--backup", Id(summary), "--to", file)).EnsureSuccess();
        (await agent.RunAsync("restore-image", "--backup", Id(summary), "--to", other.Path)).EnsureSuccess();

        Assert.Equal(16 * MiB, summary.GetProperty("total_bytes").GetInt64());
        var expected = source.ReadAll();
        Assert.Equal(expected, File.ReadAllBytes(file));
        Assert.Equal(expected, other.ReadAll());
    }

    [Fact]
    public async Task RestoreImage_ToASmallerOrMountedDevice_IsRefused()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var summary = await agent.ImageBackupAsync([NewVolume("big.img", 16 * MiB)]);
        using var small = LoopDevice.Attach(NewVolume("small", 8 * MiB));
        var untouched = small.ReadAll();

        var tooSmall = await agent.RunAsync("restore-image", "--backup", Id(summary), "--to", small.Path);

        Assert.Equal(UsageError, tooSmall.ExitCode);
        Assert.Contains("less than the image", tooSmall.StandardError);
        Assert.Equal(untouched, small.ReadAll());
        // A mounted block device of this machine (the root filesystem's, where there is one) is
        // refused before it is opened for writing.
        if (MountedBlockDevice() is { } mounted)
        {
            var refused = await agent.RunAsync("restore-image", "--backup", Id(summary), "--to", mounted);
            Assert.Equal(UsageError, refused.ExitCode);
            Assert.Contains("is mounted", refused.StandardError);
        }
    }

    [Fact]
    public async Task StartBackupWithImage_ThroughTheApi_TheDaemonImagesItsVolumes()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var volume = NewVolume("daemon.img", 2 * MiB);
        await Stack.ApiSettings.UpdateSettingsAsync(new UpdateSettingsRequest
        {
            Scope = new SettingsScope { ClientId = agent.ClientId },
            Set = { new Setting { Key = "image_volumes", Value = new SettingValue { Items = { volume } } } },
        }, Stack.AdminHeaders);
        await using var daemon = AgentDaemons.Start(agent);
        await AgentDaemons.WaitUntilAsync(() => AgentDaemons.ConnectedAsync(Stack, agent.ClientId), daemon, "the daemon connects");

        await Stack.ApiClients.StartBackupAsync(new StartBackupRequest { ClientId = agent.ClientId, Image = true }, Stack.AdminHeaders);
        await AgentDaemons.WaitUntilAsync(async () => (await SnapshotsAsync(agent.ClientId)).Count == 1, daemon, "the image backup completes");
        await Stack.ApiClients.StartBackupAsync(new StartBackupRequest { ClientId = agent.ClientId, Image = true, Full = true }, Stack.AdminHeaders);
        await AgentDaemons.WaitUntilAsync(async () => (await SnapshotsAsync(agent.ClientId)).Count == 2, daemon, "the full image backup completes");

        var snapshots = await SnapshotsAsync(agent.ClientId);
        Assert.Equal([BackupKind.ImageFull, BackupKind.ImageIncremental], snapshots.Select(s => s.Kind));
        Assert.All(snapshots, s => Assert.Equal([volume], s.Paths));
        var restored = Path.Combine(Stack.NewSourceDirectory("daemon-restored"), "daemon.img");
        (await agent.RunAsync("restore-image", "--backup", "latest", "--to", restored)).EnsureSuccess();
        Assert.Equal(File.ReadAllBytes(volume), File.ReadAllBytes(restored));
    }

    /// <summary>A file of random bytes standing for a volume.</summary>
    private string NewVolume(string name, int size)
    {
        var path = Path.Combine(Stack.NewSourceDirectory("volume"), name);
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The volume's name in the snapshot: its path flattened, ending in ".img".</summary>
    private static string NameOf(string path)
    {
        var flat = path.TrimStart('/').Replace('/', '-');
        return flat.EndsWith(".img", StringComparison.Ordinal) ? flat : flat + ".img";
    }

    private static string Id(JsonElement summary) => summary.GetProperty("backup_id").GetString()!;

    /// <summary>A mounted filesystem's block device: a /dev node whose kernel name is in /sys/class/block.</summary>
    private static string? MountedBlockDevice() => File.ReadLines("/proc/self/mounts")
        .Select(line => line.Split(' ')[0])
        .FirstOrDefault(source => source.StartsWith("/dev/", StringComparison.Ordinal) && File.Exists(source)
            && Directory.Exists(Path.Combine("/sys/class/block", Path.GetFileName(File.ResolveLinkTarget(source, true)?.FullName ?? source))));

    private async Task<IReadOnlyList<Snapshot>> SnapshotsAsync(string clientId) =>
        (await Stack.ApiSnapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = clientId }, Stack.AdminHeaders)).Snapshots;
}
