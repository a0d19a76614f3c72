using Urb.Storage.Keys;

namespace Urb.Storage.Packs;

/// <summary>
/// The chunks in a pack, from the pack alone: from its trailer when sealed, else by reading its
/// records front to back up to the first one that is torn or fails its check (a pack whose
/// writer died). This is what rebuilding the index and finishing packs after a crash rest on.
/// </summary>
public sealed class PackIndexReader(IPackStore store)
{
    /// <param name="pack">The pack.</param>
    /// <param name="isIntact">When given, each record is checked while scanning, and the scan stops at the first that fails.</param>
    /// <param name="trustTrailer">
    /// False for a pack found open after a crash: its trailer may have reached the disk while the
    /// records before it did not, so the records themselves are read.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<PackContents> ReadAsync(PackName pack, Func<byte[], PackEntry, bool>? isIntact, bool trustTrailer, CancellationToken cancellationToken)
    {
        var length = await store.GetLengthAsync(pack, cancellationToken);
        if (trustTrailer && length >= PackFormat.HeaderSize + PackFormat.FooterSize)
        {
            var footer = new byte[PackFormat.FooterSize];
            await store.ReadAsync(pack, length - PackFormat.FooterSize, footer, cancellationToken);
            // The trailer's length follows from its count: a damaged footer cannot ask for a huge read.
            if (PackFormat.TryReadFooter(footer, out var trailerOffset, out var count, out var hash)
                && trailerOffset + 8 + ((long)count * PackFormat.TrailerEntrySize) == length - PackFormat.FooterSize)
            {
                var trailer = new byte[length - PackFormat.FooterSize - trailerOffset];
                await store.ReadAsync(pack, trailerOffset, trailer, cancellationToken);
                if (System.Security.Cryptography.SHA256.HashData(trailer).AsSpan().SequenceEqual(hash))
                {
                    return new PackContents(PackFormat.ReadTrailer(trailer, count), trailerOffset, Sealed: true);
                }
            }
        }
        return await ScanAsync(pack, length, isIntact, cancellationToken);
    }

    private async Task<PackContents> ScanAsync(PackName pack, long length, Func<byte[], PackEntry, bool>? isIntact, CancellationToken cancellationToken)
    {
        var entries = new List<PackEntry>();
        if (length < PackFormat.HeaderSize) return new PackContents(entries, 0, Sealed: false);
        var header = new byte[PackFormat.HeaderSize];
        await store.ReadAsync(pack, 0, header, cancellationToken);
        if (!PackFormat.TryReadHeader(header, out var tenant) || tenant != pack.Tenant) return new PackContents(entries, 0, Sealed: false);

        long offset = PackFormat.HeaderSize;
        var recordHeader = new byte[PackFormat.RecordHeaderSize];
        while (offset + PackFormat.RecordHeaderSize <= length)
        {
            await store.ReadAsync(pack, offset, recordHeader, cancellationToken);
            if (!PackFormat.TryReadRecordHeader(recordHeader, out var fields) || offset + fields.RecordLength > length) break;
            var entry = new PackEntry(fields.ChunkId, offset, fields.RecordLength, fields.PlainLength);
            if (isIntact is not null)
            {
                var record = new byte[fields.RecordLength];
                await store.ReadAsync(pack, offset, record, cancellationToken);
                if (!isIntact(record, entry)) break;
            }
            entries.Add(entry);
            offset += fields.RecordLength;
        }
        return new PackContents(entries, offset, Sealed: false);
    }

    /// <summary>A check that a record decrypts and matches its ID under the tenant's keys.</summary>
    public static Func<byte[], PackEntry, bool> IntactUnder(ChunkCodec codec, TenantKeys keys) =>
        (record, entry) => codec.IsIntact(keys, record, entry.ChunkId);
}

/// <summary>A pack's chunks, and where its valid part ends (for an unsealed pack).</summary>
public sealed record PackContents(IReadOnlyList<PackEntry> Entries, long ValidLength, bool Sealed);
