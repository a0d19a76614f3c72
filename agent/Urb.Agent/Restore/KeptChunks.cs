using System.Buffers;
using Urb.Domain.Content;

namespace Urb.Agent.Restore;

/// <summary>
/// The stored chunks a restore needs again later (<see cref="Contracts.Agent.V1.RestoreRequest.ChunksOnce"/>):
/// the server sends each distinct chunk once, saying how many more times the files after it name
/// it, and each of those places takes a copy from here, as received (compressed), to be decoded and
/// checked like any chunk. Up to <see cref="MemoryBudgetBytes"/> stay in memory; the rest go to a
/// spill file in the agent's state directory that only the restore's descriptor names. A chunk is
/// dropped after its last use.
/// </summary>
/// <remarks>Used by one thread at a time (the restore's reader); the copies it hands out are the caller's.</remarks>
public sealed class KeptChunks(string spillDirectory) : IDisposable
{
    /// <summary>
    /// Chunks held in memory at most. The benchmark tree's copies of files need about 22 MB at
    /// once (compressed) when each is kept from its first to its last use; a larger set spills.
    /// </summary>
    public const long MemoryBudgetBytes = 16L * 1024 * 1024;

    private readonly Dictionary<byte[], Kept> kept = new(ChunkIdComparer.Instance);
    private long inMemoryBytes;
    private FileStream? spill;
    private long spilledBytes;

    /// <summary>Chunks held now, and bytes written to the spill file so far (what tests look at).</summary>
    public int Count => kept.Count;

    public long SpilledBytes => spilledBytes;

    /// <summary>Keeps a copy of a chunk as stored for <paramref name="uses"/> more uses.</summary>
    public void Keep(byte[] id, ReadOnlySpan<byte> stored, bool compressed, uint uses)
    {
        if (uses == 0) return;
        if (kept.TryGetValue(id, out var already))
        {
            // The server sent a chunk it had sent before: its count is what counts from here.
            already.UsesLeft = uses;
            return;
        }
        var chunk = new Kept(compressed, stored.Length, uses);
        if (inMemoryBytes + stored.Length <= MemoryBudgetBytes)
        {
            chunk.Bytes = ArrayPool<byte>.Shared.Rent(Math.Max(stored.Length, 1));
            stored.CopyTo(chunk.Bytes);
            inMemoryBytes += stored.Length;
        }
        else
        {
            try
            {
                spill ??= OpenSpillFile();
                chunk.SpillOffset = spilledBytes;
                RandomAccess.Write(spill.SafeFileHandle, stored, chunk.SpillOffset);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException(
                    $"The restore cannot keep content it needs again for later files in {spillDirectory} ({e.Message}); " +
                    "make room there, or restore in parts with --path.", e);
            }
            spilledBytes += stored.Length;
        }
        kept[id] = chunk;
    }

    /// <summary>
    /// One use of a kept chunk: its stored bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>
    /// (the caller returns it), or false when the chunk is not kept.
    /// </summary>
    public bool TryUse(byte[] id, out byte[] buffer, out int length, out bool compressed)
    {
        (buffer, length, compressed) = (null!, 0, false);
        if (!kept.TryGetValue(id, out var chunk)) return false;
        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(chunk.Length, 1));
        (length, compressed) = (chunk.Length, chunk.Compressed);
        if (chunk.Bytes is not null)
        {
            chunk.Bytes.AsSpan(0, chunk.Length).CopyTo(buffer);
        }
        else if (RandomAccess.Read(spill!.SafeFileHandle, buffer.AsSpan(0, chunk.Length), chunk.SpillOffset) != chunk.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new IOException("The restore's spill file of kept chunks was cut short.");
        }
        if (--chunk.UsesLeft == 0) Drop(id, chunk);
        return true;
    }

    /// <summary>
    /// A file no one else sees and nothing leaves behind: unlinked at once where the descriptor
    /// keeps it (so even a killed agent leaves nothing), deleted on close elsewhere.
    /// </summary>
    private FileStream OpenSpillFile()
    {
        var path = Path.Combine(spillDirectory, $"restore-kept-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows()) File.Delete(path);
        return file;
    }

    public void Dispose()
    {
        foreach (var (id, chunk) in kept.ToList()) Drop(id, chunk);
        spill?.Dispose();
        spill = null;
    }

    private void Drop(byte[] id, Kept chunk)
    {
        kept.Remove(id);
        if (chunk.Bytes is null) return;
        ArrayPool<byte>.Shared.Return(chunk.Bytes);
        inMemoryBytes -= chunk.Length;
        chunk.Bytes = null;
    }

    private sealed class Kept(bool compressed, int length, uint usesLeft)
    {
        public bool Compressed { get; } = compressed;
        public int Length { get; } = length;
        public uint UsesLeft { get; set; } = usesLeft;
        public byte[]? Bytes { get; set; }
        public long SpillOffset { get; set; }
    }
}
