using Microsoft.Data.Sqlite;

namespace Urb.Agent.State;

public sealed partial class FileStateStore
{
    /// <summary>
    /// One command reused for every row of a save: only the parameter values change, so SQLite
    /// compiles the statement once, and a save of 100,000 rows costs 100,000 steps of it.
    /// </summary>
    private sealed class UpsertStatement : IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _path;
        private readonly SqliteParameter _size;
        private readonly SqliteParameter _modified;
        private readonly SqliteParameter _changed;
        private readonly SqliteParameter _device;
        private readonly SqliteParameter _inode;
        private readonly SqliteParameter _chunkIds;

        public UpsertStatement(SqliteConnection connection, SqliteTransaction transaction)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = """
                INSERT INTO files (path, size, modified_ns, changed_ns, device, inode, chunk_ids)
                VALUES ($path, $size, $modified, $changed, $device, $inode, $chunk_ids)
                ON CONFLICT (path) DO UPDATE SET
                    size = excluded.size, modified_ns = excluded.modified_ns, changed_ns = excluded.changed_ns,
                    device = excluded.device, inode = excluded.inode, chunk_ids = excluded.chunk_ids
                """;
            _path = _command.Parameters.Add("$path", SqliteType.Text);
            _size = _command.Parameters.Add("$size", SqliteType.Integer);
            _modified = _command.Parameters.Add("$modified", SqliteType.Integer);
            _changed = _command.Parameters.Add("$changed", SqliteType.Integer);
            _device = _command.Parameters.Add("$device", SqliteType.Integer);
            _inode = _command.Parameters.Add("$inode", SqliteType.Integer);
            _chunkIds = _command.Parameters.Add("$chunk_ids", SqliteType.Blob);
        }

        public void Execute(string path, KnownFile file)
        {
            _path.Value = path;
            _size.Value = file.Stamp.Size;
            _modified.Value = file.Stamp.ModifiedNs;
            _changed.Value = file.Stamp.ChangedNs;
            // SQLite integers are signed 64-bit; device and inode numbers keep their bits.
            _device.Value = unchecked((long)file.Stamp.Device);
            _inode.Value = unchecked((long)file.Stamp.Inode);
            _chunkIds.Value = file.ChunkIds;
            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }

    /// <summary>The delete of one path, compiled once for a whole save.</summary>
    private sealed class RemoveStatement : IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _path;

        public RemoveStatement(SqliteConnection connection, SqliteTransaction transaction)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = "DELETE FROM files WHERE path = $path";
            _path = _command.Parameters.Add("$path", SqliteType.Text);
        }

        public void Execute(string path)
        {
            _path.Value = path;
            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }
}
