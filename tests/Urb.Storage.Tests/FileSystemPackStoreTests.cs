using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

/// <summary>The pack store contract for the filesystem provider, and what only that provider promises.</summary>
public sealed class FileSystemPackStoreTests : PackStoreContract
{
    protected override IPackStore CreateStore(string directory) => new FileSystemPackStore(directory);

    protected override async Task AppendBehindStoreAsync(string directory, PackName pack, ReadOnlyMemory<byte> bytes)
    {
        await using var file = new FileStream(OpenPath(directory, pack), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await file.WriteAsync(bytes);
    }

    [Fact]
    public void Constructor_SecondOwnerOnSameDirectory_ThrowsIOException()
    {
        using var first = new FileSystemPackStore(Root);

        Assert.Throws<IOException>(() => new FileSystemPackStore(Root));
    }

    [Fact]
    public void Constructor_OwnerAfterPreviousOwnerDisposed_Succeeds()
    {
        new FileSystemPackStore(Root).Dispose();

        using var second = new FileSystemPackStore(Root);
        Assert.True(File.Exists(Path.Combine(Root, ".lock")));
    }

    [Fact]
    public async Task ReaderOnlyInstance_BesideOwner_ReadsAndListsButCannotWrite()
    {
        using var owner = new FileSystemPackStore(Root);
        var pack = PackName.New(Guid.NewGuid());
        var data = TestKeys.RandomBytes(777);
        await using (var appender = await owner.CreateAsync(pack, Ct))
        {
            await appender.AppendAsync(data, Ct);
            await appender.SealAsync(Ct);
        }

        using var reader = new FileSystemPackStore(Root, owner: false);

        var buffer = new byte[data.Length];
        await reader.ReadAsync(pack, 0, buffer, Ct);
        Bytes.Equal(data, buffer);
        Assert.Equal(data.Length, await reader.GetLengthAsync(pack, Ct));
        var listed = new List<StoredPack>();
        await foreach (var stored in reader.ListAsync(Ct)) listed.Add(stored);
        Assert.Equal(new StoredPack(pack, Sealed: true, data.Length), Assert.Single(listed));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.CreateAsync(PackName.New(pack.Tenant), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ResumeAsync(pack, 0, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.DeleteAsync(pack, Ct));
        Assert.Equal(data.Length, await owner.GetLengthAsync(pack, Ct));
    }

    [Fact]
    public async Task SealAsync_OpenFile_BecomesReadOnlyPackFile()
    {
        using var store = new FileSystemPackStore(Root);
        var pack = PackName.New(Guid.NewGuid());
        var appender = await store.CreateAsync(pack, Ct);
        await appender.AppendAsync(TestKeys.RandomBytes(100), Ct);
        Assert.True(File.Exists(OpenPath(Root, pack)));

        await appender.SealAsync(Ct);
        await appender.DisposeAsync();

        var sealedPath = Path.ChangeExtension(OpenPath(Root, pack), ".pack");
        Assert.False(File.Exists(OpenPath(Root, pack)));
        Assert.True(File.Exists(sealedPath));
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(sealedPath) & anyWrite);
        }
    }

    [Fact]
    public async Task ListAsync_ForeignFilesAndDirectories_AreSkipped()
    {
        using var store = new FileSystemPackStore(Root);
        var pack = PackName.New(Guid.NewGuid());
        await using (var appender = await store.CreateAsync(pack, Ct))
        {
            await appender.AppendAsync(TestKeys.RandomBytes(10), Ct);
            await appender.SealAsync(Ct);
        }
        var shard = Path.GetDirectoryName(OpenPath(Root, pack))!;
        await File.WriteAllTextAsync(Path.Combine(shard, "notes.txt"), "not a pack", Ct);
        await File.WriteAllTextAsync(Path.Combine(shard, "XYZ.pack"), "bad id", Ct);
        await File.WriteAllTextAsync(Path.Combine(shard, pack.Id.ToUpperInvariant() + ".pack"), "upper-case id", Ct);
        Directory.CreateDirectory(Path.Combine(Root, "lost+found", "ab"));
        await File.WriteAllTextAsync(Path.Combine(Root, "lost+found", "ab", PackName.New(Guid.Empty).Id + ".pack"), "not under a tenant", Ct);

        var listed = new List<StoredPack>();
        await foreach (var stored in store.ListAsync(Ct)) listed.Add(stored);

        Assert.Equal(pack, Assert.Single(listed).Name);
    }

    private static string OpenPath(string directory, PackName pack) =>
        Path.Combine(directory, pack.Tenant.ToString(), pack.Id[..2], pack.Id + ".open");
}
