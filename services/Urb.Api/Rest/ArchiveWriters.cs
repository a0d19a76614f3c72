using System.Formats.Tar;
using System.IO.Compression;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshot.V1;

namespace Urb.Api.Rest;

/// <summary>
/// Writes a restored tree into an archive on a forward-only stream, entry by entry as the restore
/// delivers them. tar (PAX) keeps modes, owners, mtimes and symlinks; zip keeps files, directories,
/// mtimes (2-second precision) and Unix modes in the external attributes, and leaves symlinks out.
/// </summary>
public static class ArchiveWriters
{
    /// <param name="entryName">The name of an entry in the archive; null for the restored directory itself.</param>
    public static async Task WriteZipAsync(RestoreEntry root, RestoreReader restore, Func<RestoreEntry, string?> entryName, Stream output, CancellationToken ct)
    {
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        for (var entry = root; entry is not null; entry = await restore.NextEntryAsync(ct))
        {
            if (entryName(entry) is not { } name || entry.Node.Type == NodeType.Symlink) continue;
            var isDirectory = entry.Node.Type == NodeType.Directory;
            var zipEntry = zip.CreateEntry(isDirectory ? name + "/" : name, CompressionLevel.Fastest);
            zipEntry.LastWriteTime = ZipTime(RestoreDownloads.ModifiedAt(entry.Node));
            // Unix mode with its file type in the high 16 bits, as Info-ZIP writes it.
            zipEntry.ExternalAttributes = (int)(((isDirectory ? 0x4000u : 0x8000u) | (entry.Node.Permissions & 0xFFF)) << 16);
            if (isDirectory) continue;
            await using var content = await zipEntry.OpenAsync(ct);
            await restore.Content().CopyToAsync(content, ct);
        }
    }

    public static async Task WriteTarGzAsync(RestoreEntry root, RestoreReader restore, Func<RestoreEntry, string?> entryName, Stream output, CancellationToken ct)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
        for (var entry = root; entry is not null; entry = await restore.NextEntryAsync(ct))
        {
            if (entryName(entry) is not { } name) continue;
            var node = entry.Node;
            var tarEntry = node.Type switch
            {
                NodeType.Directory => new PaxTarEntry(TarEntryType.Directory, name + "/"),
                NodeType.Symlink => new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = node.LinkTarget },
                _ => new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = restore.Content() },
            };
            tarEntry.Mode = (UnixFileMode)(node.Permissions & 0xFFF);
            tarEntry.Uid = (int)node.UserId;
            tarEntry.Gid = (int)node.GroupId;
            tarEntry.ModificationTime = RestoreDownloads.ModifiedAt(node);
            await tar.WriteEntryAsync(tarEntry, ct);
        }
    }

    /// <summary>Zip's DOS time covers 1980–2107; a file outside gets the nearest end.</summary>
    private static DateTimeOffset ZipTime(DateTimeOffset t) =>
        t < new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero) ? new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero)
        : t > new DateTimeOffset(2107, 12, 31, 0, 0, 0, TimeSpan.Zero) ? new DateTimeOffset(2107, 12, 31, 0, 0, 0, TimeSpan.Zero)
        : t;
}
