namespace Urb.DedupIndex.Data;

/// <summary>
/// A client's zstd dictionary (Urb.Domain's <c>ZstdDict</c>): its ID, which every frame compressed
/// with it names, and the stored object that holds it. Kept for the tenant's life: any chunk
/// compressed with it, whoever shares it now, needs it to be read (docs/architecture.md,
/// "Compression dictionaries").
/// </summary>
public sealed class DictionaryRecord
{
    public Guid TenantId { get; set; }

    /// <summary>The zstd dictionary ID, from the <c>dictionary_ids</c> sequence (unique in the whole installation).</summary>
    public int DictionaryId { get; set; }

    /// <summary>The client that trained it: the only agent it is ever given to.</summary>
    public Guid ClientId { get; set; }

    /// <summary>The <c>chunks</c> row of the stored dictionary; the row cannot be deleted while this one names it.</summary>
    public long ChunkRowId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
