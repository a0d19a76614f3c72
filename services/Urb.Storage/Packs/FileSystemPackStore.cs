using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Urb.Storage.Packs;

/// <summary>
/// Packs as files under one directory: <c>{tenant}/{id[0..2]}/{id}.open</c> while written,
/// renamed to <c>.pack</c> when sealed (an atomic step, after which the file is read-only).
/// One process owns a directory at a time (a lock file enforces it), so an open pack found at
/// start belongs to a process that died and can be finished safely.
/// </summary>
public sealed class FileSystemPackStore : IPackStore, IDisposable
{
    private const string OpenSuffix = ".open";
    private const string SealedSuffix = ".pack";
    private readonly string root;
    private readonly FileStream? directoryLock;

    /// <param name="root">The directory of the packs.</param>
    /// <param name="owner">Whether this instance writes (and so must be the only writer); readers such as the rebuild command pass false.</param>
    public FileSystemPackStore(string root, bool owner = true)
    {
        this.root = Path.GetFullPath(root);
        Directory.CreateDirectory(this.root);
        if (!owner) return;
        try
        {
            directoryLock = new FileStream(Path.Combine(this.root, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The pack directory {this.root} is in use by another process (only one Urb.Storage may own it).", e);
        }
    }

    public async Task<IPackAppender> CreateAsync(PackName pack, CancellationToken cancellationToken)
    {
        EnsureOwner();
        var path = PathOf(pack, OpenSuffix);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        await FsyncDirectoryAsync(Path.GetDirectoryName(path)!);
        return new FileAppender(this, pack, stream);
    }

    public Task<IPackAppender> ResumeAsync(PackName pack, long validLength, CancellationToken cancellationToken)
    {
        EnsureOwner();
        var path = PathOf(pack, OpenSuffix);
        if (!File.Exists(path)) throw new PackNotFoundException(pack);
        // A writer that died inside SealAsync may have made the file read-only already.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserWrite);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        stream.SetLength(validLength);
        stream.Position = validLength;
        return Task.FromResult<IPackAppender>(new FileAppender(this, pack, stream));
    }

    public async Task ReadAsync(PackName pack, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        using var handle = OpenForRead(pack);
        await ReadFullyAsync(pack, handle, offset, destination, cancellationToken);
    }

    public IPackReader OpenReader() => new HandleKeepingReader(this);

    private static async Task ReadFullyAsync(PackName pack, SafeFileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var read = await RandomAccess.ReadAsync(handle, destination[done..], offset + done, cancellationToken);
            if (read == 0) throw new EndOfStreamException($"Pack {pack} ends before byte {offset + destination.Length}.");
            done += read;
        }
    }

    public Task<long> GetLengthAsync(PackName pack, CancellationToken cancellationToken)
    {
        using var handle = OpenForRead(pack);
        return Task.FromResult(RandomAccess.GetLength(handle));
    }

    public async IAsyncEnumerable<StoredPack> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var tenantDirectory in Directory.EnumerateDirectories(root))
        {
            if (!Guid.TryParse(Path.GetFileName(tenantDirectory), out var tenant)) continue;
            foreach (var file in Directory.EnumerateFiles(tenantDirectory, "*", SearchOption.AllDirectories))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var suffix = Path.GetExtension(file);
                var id = Path.GetFileNameWithoutExtension(file);
                if (suffix is not (OpenSuffix or SealedSuffix) || !PackName.IsValidId(id)) continue;
                if (CurrentState(file, id) is { } pack) yield return pack with { Name = new PackName(tenant, id) };
            }
        }
        await Task.CompletedTask;
    }

    public Task DeleteAsync(PackName pack, CancellationToken cancellationToken)
    {
        EnsureOwner();
        File.Delete(PathOf(pack, SealedSuffix));
        File.Delete(PathOf(pack, OpenSuffix));
        return Task.CompletedTask;
    }

    public void Dispose() => directoryLock?.Dispose();

    /// <summary>A listed file as it is now: an open pack may have been sealed (renamed) since it was enumerated.</summary>
    private static StoredPack? CurrentState(string file, string id)
    {
        var sealedFile = Path.ChangeExtension(file, SealedSuffix);
        foreach (var (path, isSealed) in (ReadOnlySpan<(string, bool)>)[(file, file == sealedFile), (sealedFile, true)])
        {
            var info = new FileInfo(path);
            if (info.Exists) return new StoredPack(default, isSealed, info.Length);
        }
        return null;
    }

    private void EnsureOwner()
    {
        if (directoryLock is null) throw new InvalidOperationException("This pack store was opened for reading only.");
    }

    private SafeFileHandle OpenForRead(PackName pack)
    {
        // A sealed pack is the common case; an open one is read while it is still being written.
        // The rename from .open to .pack is atomic, so one of the names always exists: trying
        // .pack again after .open closes the window where the rename happens between the two.
        foreach (var suffix in (ReadOnlySpan<string>)[SealedSuffix, OpenSuffix, SealedSuffix])
        {
            try
            {
                return File.OpenHandle(PathOf(pack, suffix), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Try the other name: the pack may have been sealed in between.
            }
        }
        throw new PackNotFoundException(pack);
    }

    private string PathOf(PackName pack, string suffix) =>
        Path.Combine(root, pack.Tenant.ToString(), pack.Id[..2], pack.Id + suffix);

    /// <summary>A created or renamed file survives a crash only once its directory entry is on disk too.</summary>
    private static Task FsyncDirectoryAsync(string directory) => Task.Run(() => FileSync.FsyncDirectory(directory));

    /// <summary>
    /// Keeps one handle per pack it read: a restore reads thousands of chunks from a few packs,
    /// and opening the file for each (open, fstat, lock, advice, close) cost more than the read.
    /// A handle taken while the pack was still .open reads on after the rename to .pack (one file).
    /// </summary>
    private sealed class HandleKeepingReader(FileSystemPackStore store) : IPackReader
    {
        private readonly ConcurrentDictionary<PackName, SafeFileHandle> handles = new();
        private volatile bool disposed;

        public Task ReadAsync(PackName pack, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
            ReadFullyAsync(pack, HandleOf(pack), offset, destination, cancellationToken);

        private SafeFileHandle HandleOf(PackName pack)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (handles.TryGetValue(pack, out var kept)) return kept;
            var opened = store.OpenForRead(pack);
            kept = handles.GetOrAdd(pack, opened);
            if (!ReferenceEquals(kept, opened))
            {
                opened.Dispose();
            }
            else if (disposed)
            {
                // Dispose emptied the map between the check above and the add: close this one too
                // (its read then fails as any read after disposal does).
                Dispose();
            }
            return kept;
        }

        /// <summary>A read still in flight keeps its handle alive until it returns (SafeHandle counts its users).</summary>
        public void Dispose()
        {
            disposed = true;
            foreach (var pack in handles.Keys)
            {
                if (handles.TryRemove(pack, out var handle)) handle.Dispose();
            }
        }
    }

    private sealed class FileAppender(FileSystemPackStore store, PackName pack, FileStream stream) : IPackAppender
    {
        private bool sealedOrDisposed;

        public PackName Pack => pack;

        public long Length => stream.Length;

        public async Task AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(sealedOrDisposed, this);
            await stream.WriteAsync(data, cancellationToken);
        }

        public Task FlushDurableAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(sealedOrDisposed, this);
            return Task.Run(() => stream.Flush(flushToDisk: true), cancellationToken);
        }

        public async Task SealAsync(CancellationToken cancellationToken)
        {
            await FlushDurableAsync(cancellationToken);
            sealedOrDisposed = true;
            await stream.DisposeAsync();
            var open = store.PathOf(pack, OpenSuffix);
            var sealedPath = store.PathOf(pack, SealedSuffix);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.GroupRead);
            File.Move(open, sealedPath);
            await FsyncDirectoryAsync(Path.GetDirectoryName(sealedPath)!);
        }

        public async ValueTask DisposeAsync()
        {
            if (sealedOrDisposed) return;
            sealedOrDisposed = true;
            await stream.DisposeAsync();
        }
    }
}
