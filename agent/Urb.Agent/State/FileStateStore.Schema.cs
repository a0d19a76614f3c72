using Microsoft.Data.Sqlite;
using Urb.Domain.Errors;

namespace Urb.Agent.State;

public sealed partial class FileStateStore
{
    /// <summary>PRAGMA user_version of the schema below; raise it with every change and migrate older files in <see cref="Migrate"/>.</summary>
    private const long SchemaVersion = 1;

    private const string KeyFingerprintSetting = "key_fingerprint";

    // A rowid table rather than WITHOUT ROWID: a large file's chunk list is kilobytes, and SQLite
    // advises WITHOUT ROWID only for rows well under a twentieth of a page.
    private const string CreateSchema = """
        CREATE TABLE files (
            path TEXT NOT NULL PRIMARY KEY,
            size INTEGER NOT NULL,
            modified_ns INTEGER NOT NULL,
            changed_ns INTEGER NOT NULL,
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            chunk_ids BLOB NOT NULL
        );
        CREATE TABLE settings (
            name TEXT NOT NULL PRIMARY KEY,
            value BLOB NOT NULL
        );
        """;

    /// <summary>Opens the file, brings its schema up to date and drops rows computed under another key (when the key is known).</summary>
    private static SqliteConnection Connect(string path, byte[]? keyFingerprint)
    {
        // No pooling: the store holds its one connection for its lifetime, and a damaged file can
        // only be renamed once no pooled handle keeps it open.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            // WAL: a save never blocks a reader and costs one sequential write. synchronous=NORMAL
            // can lose the last save on power loss but never corrupts; a lost save only means the
            // next backup reads those files again.
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            Migrate(connection, path);
            if (keyFingerprint is not null) ApplyKeyFingerprint(connection, keyFingerprint);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        var version = (long)Scalar(connection, "PRAGMA user_version")!;
        if (version > SchemaVersion)
        {
            throw new FailedPreconditionException(
                $"{path} was written by a newer agent (schema version {version}; this agent knows up to {SchemaVersion}). " +
                "Upgrade the agent, or delete the file: the next backup then reads every file again.");
        }
        if (version == SchemaVersion) return;
        using var transaction = connection.BeginTransaction();
        Execute(connection, CreateSchema + $"PRAGMA user_version = {SchemaVersion};", transaction);
        transaction.Commit();
    }

    /// <summary>
    /// Chunk IDs are a keyed hash: under another tenant key they name nothing the server has, so
    /// they all go. Returns false when rows were dropped, true when none were (the key matched,
    /// or there were none).
    /// </summary>
    private static bool ApplyKeyFingerprint(SqliteConnection connection, byte[] keyFingerprint)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM settings WHERE name = $name";
        read.Parameters.AddWithValue("$name", KeyFingerprintSetting);
        if (read.ExecuteScalar() is byte[] stored && stored.AsSpan().SequenceEqual(keyFingerprint)) return true;

        using var transaction = connection.BeginTransaction();
        var dropped = Execute(connection, "DELETE FROM files", transaction);
        using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "INSERT INTO settings (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        write.Parameters.AddWithValue("$name", KeyFingerprintSetting);
        write.Parameters.Add("$value", SqliteType.Blob).Value = keyFingerprint;
        write.ExecuteNonQuery();
        transaction.Commit();
        return dropped == 0;
    }

    /// <summary>Runs the statements; returns the rows they changed.</summary>
    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
