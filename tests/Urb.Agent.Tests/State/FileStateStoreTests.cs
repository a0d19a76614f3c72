using Urb.Agent.State;
using Urb.Agent.Tests.Walk;
using static Urb.Agent.Tests.State.StateFiles;

namespace Urb.Agent.Tests.State;

public class FileStateStoreTests
{
    [Fact]
    public void Save_ThenLoadAll_ReturnsEveryFileAsSaved()
    {
        using var directory = new TempTree();
        using var store = FileStateStore.Open(directory.Root, KeyA);
        var files = new Dictionary<string, KnownFile>
        {
            ["src/docs/a.txt"] = File(1),
            ["src/empty"] = File(2, chunks: 0),
            ["名前 with spaces/ü.bin"] = File(3, chunks: 100),
        };

        store.Save(files, []);
        var loaded = store.LoadAll();

        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), loaded.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, file) in files) AssertSame(file, loaded[path]);
        Assert.Empty(loaded["src/empty"].ChunkIds);
    }

    [Fact]
    public void Save_KnownPath_OverwritesIt()
    {
        using var directory = new TempTree();
        using var store = FileStateStore.Open(directory.Root, KeyA);
        store.Save([Row("a", File(1)), Row("b", File(2))], []);

        store.Save([Row("a", File(3, chunks: 5))], []);

        var loaded = store.LoadAll();
        Assert.Equal(2, loaded.Count);
        AssertSame(File(3, chunks: 5), loaded["a"]);
        AssertSame(File(2), loaded["b"]);
    }

    [Fact]
    public void Save_Removals_ForgetThosePathsOnly()
    {
        using var directory = new TempTree();
        using var store = FileStateStore.Open(directory.Root, KeyA);
        store.Save([Row("a", File(1)), Row("b", File(2)), Row("c", File(3))], []);

        store.Save([Row("d", File(4))], ["a", "c", "never-known"]);

        Assert.Equal(["b", "d"], store.LoadAll().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Save_PathBothRemovedAndUpserted_EndsUpKnown()
    {
        using var directory = new TempTree();
        using var store = FileStateStore.Open(directory.Root, KeyA);
        store.Save([Row("a", File(1))], []);

        store.Save([Row("a", File(2))], ["a"]);

        AssertSame(File(2), store.LoadAll()["a"]);
    }

    [Fact]
    public void Save_InvalidChunkIds_ThrowsAndSavesNothing()
    {
        using var directory = new TempTree();
        using var store = FileStateStore.Open(directory.Root, KeyA);
        store.Save([Row("a", File(1))], []);
        var broken = File(2) with { ChunkIds = new byte[33] };

        Assert.Throws<ArgumentException>(() => store.Save([Row("b", File(3)), Row("c", broken)], ["a"]));

        Assert.Equal(["a"], store.LoadAll().Keys);
    }

    [Fact]
    public void Open_Reopened_KeepsTheData()
    {
        using var directory = new TempTree();
        using (var store = FileStateStore.Open(directory.Root, KeyA)) store.Save([Row("a", File(1)), Row("b/c", File(2))], []);

        using var reopened = FileStateStore.Open(directory.Root, KeyA);
        var loaded = reopened.LoadAll();

        Assert.Equal(2, loaded.Count);
        AssertSame(File(1), loaded["a"]);
        AssertSame(File(2), loaded["b/c"]);
    }

    [Fact]
    public void Open_MissingDirectory_CreatesIt()
    {
        using var directory = new TempTree();
        var nested = Path.Combine(directory.Root, "state", "deeper");

        using var store = FileStateStore.Open(nested, KeyA);

        Assert.True(System.IO.File.Exists(Path.Combine(nested, FileStateStore.FileName)));
        Assert.Empty(store.LoadAll());
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        using var directory = new TempTree();
        using var store = FileStateStore.Open(directory.Root, KeyA);
        store.Save([Row("a", File(1)), Row("b", File(2))], []);

        store.Clear();

        Assert.Empty(store.LoadAll());
        using var reopened = FileStateStore.Open(directory.Root, KeyA);
        Assert.Empty(reopened.LoadAll());
    }
}
