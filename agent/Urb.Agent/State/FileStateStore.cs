using Microsoft.Data.Sqlite;
using Urb.Domain.Content;

namespace Urb.Agent.State;

/// <summary>
/// The agent's change-detection database: for every file of the last backup, what it looked like
/// when read (<see cref="FileStamp"/>) and the chunk IDs of its content. A backup loads it whole,
/// reuses the chunk IDs of every file whose stamp is unchanged, and saves what it read.
/// One SQLite file, <see cref="FileName"/>, in the directory it is given.
/// </summary>
/// <remarks>
/// Everything in it is a cache: losing it costs one backup that reads every file again, never a
/// wrong backup. That decides how it fails. A damaged file is moved aside and a fresh one started
/// (see <see cref="Open"/>); chunk IDs computed under another tenant key are dropped, since they
/// would name nothing the server has. Not thread-safe: one backup at a time owns a store.
/// </remarks>
public sealed partial class FileStateStore : IDisposable
{
    /// <summary>The database's file name in its directory (SQLite adds "-wal" and "-shm" beside it while open).</summary>
    public const string FileName = "files.db";

    private readonly string _path;
    private byte[]? _keyFingerprint;
    private SqliteConnection _connection;
    private bool _disposed;

    private FileStateStore(string path, byte[]? keyFingerprint, SqliteConnection connection)
    {
        _path = path;
        _keyFingerprint = keyFingerprint;
        _connection = connection;
    }

    /// <summary>
    /// Opens the database in <paramref name="directory"/>, creating both if missing. When
    /// <paramref name="keyFingerprint"/> (a few bytes of a hash of the tenant's chunk-ID key) differs
    /// from the one stored, every row is dropped. A file that is not a database, or is corrupt, is
    /// renamed to "files.db.damaged-&lt;UTC time&gt;" and a fresh database takes its place.
    /// </summary>
    /// <exception cref="Urb.Domain.Errors.FailedPreconditionException">The file was written by a newer agent (a later schema version).</exception>
    public static FileStateStore Open(string directory, ReadOnlySpan<byte> keyFingerprint)
    {
        var store = OpenBeforeKey(directory);
        store.ConfirmKey(keyFingerprint);
        return store;
    }

    /// <summary>
    /// Opens the database as <see cref="Open"/> does while the tenant key is not known yet, so a
    /// backup can load the state and walk the disk while the server starts it. The rows stay
    /// whatever key they were computed under until <see cref="ConfirmKey"/>, which the caller must
    /// call before it trusts what it loaded.
    /// </summary>
    /// <exception cref="Urb.Domain.Errors.FailedPreconditionException">The file was written by a newer agent (a later schema version).</exception>
    public static FileStateStore OpenBeforeKey(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(Directory.CreateDirectory(directory).FullName, FileName);
        return new FileStateStore(path, null, ConnectOrReplace(path, null));
    }

    /// <summary>
    /// Checks the rows against the tenant key's fingerprint, as <see cref="Open"/> does. Rows
    /// computed under another key are all dropped (as they are when the database turns out to be
    /// damaged), and then false is returned: what was loaded before is void. True means nothing
    /// was dropped (the key matched, or there were no rows).
    /// </summary>
    public bool ConfirmKey(ReadOnlySpan<byte> keyFingerprint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _keyFingerprint = keyFingerprint.ToArray();
        try
        {
            return ApplyKeyFingerprint(_connection, _keyFingerprint);
        }
        catch (SqliteException e) when (IsDamaged(e))
        {
            Replace();
            return false;
        }
    }

    /// <summary>
    /// Every known file by snapshot path ("src/docs/a.txt"), read in one query: a backup looks up
    /// every path it walks, and one query per path is far too slow for large trees. Empty when the
    /// database turns out to be damaged (it is then replaced by a fresh one).
    /// </summary>
    public IReadOnlyDictionary<string, KnownFile> LoadAll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return ReadAll();
        }
        catch (SqliteException e) when (IsDamaged(e))
        {
            Replace();
            return new Dictionary<string, KnownFile>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Applies one backup's outcome in one transaction: first <paramref name="removals"/> (paths
    /// that are gone), then <paramref name="upserts"/> (files read, replacing what was known), so a
    /// path in both ends up known. Nothing is saved if either sequence throws or holds an invalid
    /// entry. If the database turns out to be damaged, it is replaced by an empty one instead.
    /// </summary>
    /// <exception cref="ArgumentException">An empty path, or chunk IDs that are not a multiple of 32 bytes.</exception>
    public void Save(IEnumerable<KeyValuePair<string, KnownFile>> upserts, IEnumerable<string> removals)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(removals);
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            Write(upserts, removals);
        }
        catch (SqliteException e) when (IsDamaged(e))
        {
            Replace();
        }
    }

    /// <summary>Forgets every file (the user asked for it, or the server lost data the state points to); the next backup reads everything.</summary>
    public void Clear()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM files";
            command.ExecuteNonQuery();
        }
        catch (SqliteException e) when (IsDamaged(e))
        {
            Replace();
        }
    }

    /// <summary>Closes the database; SQLite folds the write-ahead log into the file as the last connection closes.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _connection.Dispose();
    }

    private Dictionary<string, KnownFile> ReadAll()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT path, size, modified_ns, changed_ns, device, inode, chunk_ids FROM files";
        using var reader = command.ExecuteReader();
        var files = new Dictionary<string, KnownFile>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var stamp = new FileStamp(
                Size: reader.GetInt64(1),
                ModifiedNs: reader.GetInt64(2),
                ChangedNs: reader.GetInt64(3),
                Device: unchecked((ulong)reader.GetInt64(4)),
                Inode: unchecked((ulong)reader.GetInt64(5)));
            files[reader.GetString(0)] = new KnownFile(stamp, reader.GetFieldValue<byte[]>(6));
        }
        return files;
    }

    private void Write(IEnumerable<KeyValuePair<string, KnownFile>> upserts, IEnumerable<string> removals)
    {
        using var transaction = _connection.BeginTransaction();
        using (var remove = new RemoveStatement(_connection, transaction))
        {
            foreach (var path in removals) remove.Execute(path);
        }
        using (var upsert = new UpsertStatement(_connection, transaction))
        {
            foreach (var (path, file) in upserts)
            {
                ArgumentException.ThrowIfNullOrEmpty(path, nameof(upserts));
                ArgumentNullException.ThrowIfNull(file, nameof(upserts));
                if (file.ChunkIds.Length % ChunkId.Size != 0)
                {
                    throw new ArgumentException($"'{path}': chunk IDs are {ChunkId.Size} bytes each; got {file.ChunkIds.Length} bytes.", nameof(upserts));
                }
                upsert.Execute(path, file);
            }
        }
        transaction.Commit();
    }
}
