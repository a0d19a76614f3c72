using Microsoft.Data.Sqlite;
using Urb.Agent.State;
using Urb.Agent.Tests.Walk;
using Urb.Domain.Errors;
using static Urb.Agent.Tests.State.StateFiles;

namespace Urb.Agent.Tests.State;

public class FileStateStoreRecoveryTests
{
    [Fact]
    public void Open_OtherKeyFingerprint_DropsEveryRow()
    {
        using var directory = new TempTree();
        using (var store = FileStateStore.Open(directory.Root, KeyA)) store.Save([Row("a", File(1))], []);

        using (var store = FileStateStore.Open(directory.Root, KeyB))
        {
            Assert.Empty(store.LoadAll());
            store.Save([Row("b", File(2))], []);
        }

        // Going back to the first key finds nothing either: what was saved since is under the second.
        using var back = FileStateStore.Open(directory.Root, KeyA);
        Assert.Empty(back.LoadAll());
    }

    [Fact]
    public void OpenBeforeKey_LoadsTheRows_AndConfirmingTheSameKeyKeepsThem()
    {
        using var directory = new TempTree();
        using (var store = FileStateStore.Open(directory.Root, KeyA)) store.Save([Row("a", File(1))], []);

        using var early = FileStateStore.OpenBeforeKey(directory.Root);
        var loaded = early.LoadAll();

        Assert.True(early.ConfirmKey(KeyA));
        Assert.Equal(["a"], loaded.Keys);
        Assert.Equal(["a"], early.LoadAll().Keys);
    }

    [Fact]
    public void OpenBeforeKey_ThenAnotherKey_DropsTheRowsAndSaysSo()
    {
        using var directory = new TempTree();
        using (var store = FileStateStore.Open(directory.Root, KeyA)) store.Save([Row("a", File(1))], []);

        using (var early = FileStateStore.OpenBeforeKey(directory.Root))
        {
            Assert.Single(early.LoadAll());
            Assert.False(early.ConfirmKey(KeyB), "the rows loaded before were computed under the other key");
            Assert.Empty(early.LoadAll());
            early.Save([Row("b", File(2))], []);
        }

        // The second key is now the stored one: its rows stay, the first key's are gone.
        using var again = FileStateStore.Open(directory.Root, KeyB);
        Assert.Equal(["b"], again.LoadAll().Keys);
    }

    [Fact]
    public void OpenBeforeKey_NewDatabase_ConfirmsAnyKeyWithoutLoss()
    {
        using var directory = new TempTree();

        using (var early = FileStateStore.OpenBeforeKey(directory.Root))
        {
            Assert.Empty(early.LoadAll());
            Assert.True(early.ConfirmKey(KeyA), "nothing was there to drop");
            early.Save([Row("a", File(1))], []);
        }

        using var reopened = FileStateStore.Open(directory.Root, KeyA);
        Assert.Equal(["a"], reopened.LoadAll().Keys);
    }

    [Fact]
    public void Open_FileThatIsNotADatabase_MovesItAsideAndStartsEmpty()
    {
        using var directory = new TempTree();
        var path = Path.Combine(directory.Root, FileStateStore.FileName);
        var garbage = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        System.IO.File.WriteAllBytes(path, garbage);

        using (var store = FileStateStore.Open(directory.Root, KeyA))
        {
            Assert.Empty(store.LoadAll());
            store.Save([Row("a", File(1))], []);
        }

        var aside = Assert.Single(Directory.GetFiles(directory.Root, FileStateStore.FileName + ".damaged-*"));
        Assert.Equal(garbage, System.IO.File.ReadAllBytes(aside));
        using var reopened = FileStateStore.Open(directory.Root, KeyA);
        AssertSame(File(1), reopened.LoadAll()["a"]);
    }

    [Fact]
    public void LoadAll_CorruptTablePage_ReturnsEmptyAndReplacesTheFile()
    {
        using var directory = new TempTree();
        using (var store = FileStateStore.Open(directory.Root, KeyA))
        {
            store.Save(Enumerable.Range(0, 2000).Select(i => Row($"dir/file-{i}", File(i))), []);
        }
        // Page 2 is the root of the files table (the first one created): garbage there breaks
        // every read of it, while the header and the settings read at open stay intact.
        var path = Path.Combine(directory.Root, FileStateStore.FileName);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = 4096;
            file.Write(Enumerable.Repeat((byte)0xee, 4096).ToArray());
        }

        using (var store = FileStateStore.Open(directory.Root, KeyA))
        {
            Assert.Empty(Directory.GetFiles(directory.Root, FileStateStore.FileName + ".damaged-*"));
            Assert.Empty(store.LoadAll());
            store.Save([Row("a", File(1))], []);
            Assert.Equal(["a"], store.LoadAll().Keys);
        }

        Assert.Single(Directory.GetFiles(directory.Root, FileStateStore.FileName + ".damaged-*"));
    }

    [Fact]
    public void Open_NewerSchemaVersion_ThrowsAndLeavesTheFileAlone()
    {
        using var directory = new TempTree();
        using (var store = FileStateStore.Open(directory.Root, KeyA)) store.Save([Row("a", File(1))], []);
        var path = Path.Combine(directory.Root, FileStateStore.FileName);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 7";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<FailedPreconditionException>(() => FileStateStore.Open(directory.Root, KeyA));

        Assert.Contains("newer agent", error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(directory.Root, FileStateStore.FileName + ".damaged-*"));
    }
}
