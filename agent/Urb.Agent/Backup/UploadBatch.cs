namespace Urb.Agent.Backup;

/// <summary>
/// One buffer of a reading worker, allocated once per backup and reused for every batch: files
/// are read straight into it, the chunks the server may lack stay where they were read (kept
/// for the query and the upload), and behind them are the bytes read ahead of the chunker. A
/// new chunk is never copied, and the memory of a batch is this buffer, whatever the chunk sizes.
/// </summary>
public sealed class UploadBatch(int capacityBytes, int maxChunks)
{
    private readonly byte[] buffer = GC.AllocateUninitializedArray<byte>(capacityBytes);
    private readonly List<(int Offset, int Length)> kept = new(maxChunks);

    /// <summary>Where the bytes read but not yet cut into chunks start.</summary>
    private int consumed;

    /// <summary>Where they end: the next read goes here.</summary>
    private int filled;

    /// <summary>The IDs of the kept chunks, in order.</summary>
    public List<byte[]> Ids { get; } = new(maxChunks);

    public int Count => Ids.Count;

    public bool IsEmpty => Ids.Count == 0;

    /// <summary>As many chunks as one query should ask about.</summary>
    public bool IsFull => Ids.Count >= maxChunks;

    /// <summary>The bytes read and not yet cut into chunks.</summary>
    public ReadOnlySpan<byte> Pending => buffer.AsSpan(consumed, filled - consumed);

    public int PendingLength => filled - consumed;

    /// <summary>The free space the next read fills.</summary>
    public Span<byte> Unfilled => buffer.AsSpan(filled);

    public void Filled(int count) => filled += count;

    /// <summary>The first <paramref name="length"/> pending bytes are a chunk the server may lack: kept in place.</summary>
    public void Keep(byte[] id, int length)
    {
        kept.Add((consumed, length));
        Ids.Add(id);
        consumed += length;
    }

    /// <summary>The first <paramref name="length"/> pending bytes are a chunk already handled: passed over.</summary>
    public void Skip(int length) => consumed += length;

    /// <summary>Forgets the pending bytes (the file they came from could not be read to its end).</summary>
    public void DropPending() => filled = consumed;

    /// <summary>Moves the pending bytes to the front, when no chunk is kept: the whole buffer is free again.</summary>
    public void Compact()
    {
        if (!IsEmpty) throw new InvalidOperationException("A batch that keeps chunks is flushed, not compacted.");
        var length = PendingLength;
        buffer.AsSpan(consumed, length).CopyTo(buffer);
        (consumed, filled) = (0, length);
    }

    /// <summary>Takes over the pending bytes of the batch just flushed; this one must be cleared.</summary>
    public void TakePendingFrom(UploadBatch flushed)
    {
        if (!IsEmpty || filled != 0) throw new InvalidOperationException("Only a cleared batch takes over pending bytes.");
        flushed.Pending.CopyTo(buffer);
        filled = flushed.PendingLength;
        flushed.DropPending();
    }

    /// <summary>The bytes of the kept chunk at <paramref name="index"/>; valid until <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Data(int index) => buffer.AsMemory(kept[index].Offset, kept[index].Length);

    public void Clear()
    {
        Ids.Clear();
        kept.Clear();
        (consumed, filled) = (0, 0);
    }
}
