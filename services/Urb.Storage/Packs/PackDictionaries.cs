using Urb.Domain.Content;
using Urb.ServiceDefaults.Content;
using Urb.Storage.Keys;

namespace Urb.Storage.Packs;

/// <summary>A compression dictionary found in a pack: its object, the client that trained it, the dictionary.</summary>
public sealed record PackedDict(byte[] ObjectId, Guid Client, ZstdDict Dictionary);

/// <summary>
/// The compression dictionaries among a pack's records, for <c>rebuild-index</c>: records marked
/// <see cref="PackFormat.Dictionary"/>. A pack's trailer does not carry the mark, so the header of
/// every record that could be one is read: a dictionary is stored raw and is at most
/// <see cref="ZstdDict.MaxBytes"/> (plus its client), which leaves out every compressed chunk.
/// </summary>
public sealed class PackDictionaries(IPackStore store, ChunkCodec codec)
{
    public async Task<List<PackedDict>> FindAsync(
        PackName pack, IReadOnlyList<PackEntry> entries, Func<Task<TenantKeys>> keys, Action<string> report, CancellationToken cancellationToken)
    {
        var found = new List<PackedDict>();
        var header = new byte[PackFormat.RecordHeaderSize];
        foreach (var entry in entries.Where(MayBeADictionary))
        {
            await store.ReadAsync(pack, entry.Offset, header, cancellationToken);
            if (!PackFormat.TryReadRecordHeader(header, out var fields) || !fields.IsDictionary) continue;
            var record = new byte[entry.Length];
            await store.ReadAsync(pack, entry.Offset, record, cancellationToken);
            try
            {
                var (client, dictionary) = CompressionDictionaries.Unpack(codec.Open(await keys(), record, entry.ChunkId));
                found.Add(new PackedDict(entry.ChunkId, client, dictionary));
            }
            catch (Exception e) when (e is ChunkCorruptException or InvalidDataException)
            {
                report($"pack {pack.Id}: the dictionary record {ChunkId.ToHex(entry.ChunkId)} cannot be read: {e.Message}");
            }
        }
        return found;
    }

    private static bool MayBeADictionary(PackEntry entry) =>
        entry.Length == PackFormat.RecordLength(entry.PlainLength) && entry.PlainLength is > 16 and <= 16 + ZstdDict.MaxBytes;
}
