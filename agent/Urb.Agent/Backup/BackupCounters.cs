namespace Urb.Agent.Backup;

/// <summary>What a backup has done so far, updated by several workers, read by the progress display.</summary>
public sealed class BackupCounters
{
    private long filesRead;
    private long bytesRead;
    private long chunksNew;
    private long chunksKnown;
    private long bytesNew;

    public long FilesRead => Interlocked.Read(ref filesRead);
    public long BytesRead => Interlocked.Read(ref bytesRead);
    public long ChunksNew => Interlocked.Read(ref chunksNew);
    public long ChunksKnown => Interlocked.Read(ref chunksKnown);
    /// <summary>Plaintext bytes of the objects uploaded.</summary>
    public long BytesNew => Interlocked.Read(ref bytesNew);

    /// <summary>The current file of each worker, for the progress line.</summary>
    public string? CurrentFile { get; set; }

    public void FileRead() => Interlocked.Increment(ref filesRead);
    public void Read(long bytes) => Interlocked.Add(ref bytesRead, bytes);
    public void Known(int chunks) => Interlocked.Add(ref chunksKnown, chunks);
    public void Uploaded(long plainBytes)
    {
        Interlocked.Increment(ref chunksNew);
        Interlocked.Add(ref bytesNew, plainBytes);
    }
}
