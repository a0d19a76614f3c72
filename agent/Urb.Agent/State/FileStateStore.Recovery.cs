using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Urb.Agent.State;

public sealed partial class FileStateStore
{
    // Primary result codes: SQLITE_CORRUPT (a page that makes no sense) and SQLITE_NOTADB (no
    // valid header: garbage, an encrypted or a truncated file). Locks, permissions and a full disk
    // are left to throw: a fresh file would not fix them, and they may pass.
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private static bool IsDamaged(SqliteException e) => e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase;

    private static SqliteConnection ConnectOrReplace(string path, byte[]? keyFingerprint)
    {
        try
        {
            return Connect(path, keyFingerprint);
        }
        catch (SqliteException e) when (IsDamaged(e))
        {
            MoveAside(path);
            return Connect(path, keyFingerprint);
        }
    }

    /// <summary>Starts over with an empty database after finding the open one damaged.</summary>
    private void Replace()
    {
        _connection.Dispose();
        MoveAside(_path);
        _connection = Connect(_path, _keyFingerprint);
    }

    /// <summary>
    /// Renames the damaged file out of the way rather than deleting it, so it can still be looked at.
    /// Its write-ahead log goes with it under the matching name (SQLite finds "X-wal" beside "X"): a
    /// log left behind would be replayed into the fresh database. The shared-memory index is only
    /// derived from the log and is deleted.
    /// </summary>
    private static void MoveAside(string path)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var aside = $"{path}.damaged-{stamp}";
        for (var attempt = 1; File.Exists(aside) || File.Exists(aside + "-wal"); attempt++) aside = $"{path}.damaged-{stamp}-{attempt}";
        if (File.Exists(path)) File.Move(path, aside);
        if (File.Exists(path + "-wal")) File.Move(path + "-wal", aside + "-wal");
        File.Delete(path + "-shm");
    }
}
