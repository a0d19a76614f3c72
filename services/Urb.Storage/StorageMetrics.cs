using System.Diagnostics.Metrics;

namespace Urb.Storage;

/// <summary>Urb.Storage's own instruments (meter "Urb.Storage").</summary>
public sealed class StorageMetrics
{
    public const string MeterName = "Urb.Storage";

    public StorageMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        ChunksWritten = meter.CreateCounter<long>("urb.storage.chunks.written", description: "Chunks stored");
        PlainBytesWritten = meter.CreateCounter<long>("urb.storage.plain.bytes.written", "By", "Plaintext bytes of the chunks stored");
        StoredBytesWritten = meter.CreateCounter<long>("urb.storage.stored.bytes.written", "By", "Bytes appended to packs (compressed, encrypted)");
        BytesRead = meter.CreateCounter<long>("urb.storage.plain.bytes.read", "By", "Plaintext bytes read back and verified");
        CorruptChunks = meter.CreateCounter<long>("urb.storage.chunks.corrupt", description: "Chunks that failed verification on read");
        RefusedChunks = meter.CreateCounter<long>("urb.storage.chunks.refused", description: "Chunks refused on write because their content did not match their ID");
    }

    public Counter<long> ChunksWritten { get; }
    public Counter<long> PlainBytesWritten { get; }
    public Counter<long> StoredBytesWritten { get; }
    public Counter<long> BytesRead { get; }
    public Counter<long> CorruptChunks { get; }
    public Counter<long> RefusedChunks { get; }
}
