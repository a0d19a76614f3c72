using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Urb.Api.Grpc;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshot.V1;
using Urb.Contracts.Snapshots;
using Urb.Domain.Errors;
using IngestClient = Urb.Contracts.Ingest.V1.Ingest.IngestClient;

namespace Urb.Api.Rest;

/// <summary>
/// Restores for portals as downloads: one file (with range requests) or a directory as a zip or
/// tar.gz, written entry by entry as Urb.Ingest's Restore stream delivers them, never staged. The
/// key must be able to read the client (another tenant's client is "not found"); the client's
/// allow_restore setting governs its agent, not portals.
/// </summary>
public static class RestoreDownloads
{
    public static RouteGroupBuilder MapRestoreDownloads(this RouteGroupBuilder group)
    {
        group.MapGet("/clients/{clientId}/snapshots/{backup}/file", DownloadFileAsync)
            .WithName("DownloadSnapshotFile").WithTags("Downloads")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status416RangeNotSatisfiable);
        group.MapGet("/clients/{clientId}/snapshots/{backup}/archive", DownloadArchiveAsync)
            .WithName("DownloadSnapshotArchive").WithTags("Downloads")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .Produces(StatusCodes.Status200OK, contentType: "application/gzip");
        return group;
    }

    private static async Task<IResult> DownloadFileAsync(
        HttpContext http, ReadableClients readable, IngestClient ingest,
        string clientId, string backup, string? path)
    {
        var ct = http.RequestAborted;
        var request = new RestoreRequest { Backup = backup, Path = RestorePath.Parse(path, emptyIsRoot: false) };
        using var call = await StartAsync(http, readable, ingest, clientId, request);
        var restore = new RestoreReader(call.ResponseStream);
        var entry = await restore.NextEntryAsync(ct) ?? throw new NotFoundException("The path is not in the snapshot.");
        if (entry.Node.Type != NodeType.File) throw new InvalidInputException("path", "path must name a file; download a directory as an archive.");

        var size = entry.Node.Size;
        var headers = http.Response.GetTypedHeaders();
        http.Response.Headers.AcceptRanges = "bytes";
        headers.LastModified = ModifiedAt(entry.Node);
        var range = ByteRange.Parse(http.Request.Headers.Range, size);
        if (range is { Satisfiable: false })
        {
            headers.ContentRange = new ContentRangeHeaderValue(size);
            return Results.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }
        var (from, length) = range is { } r ? (r.From, r.Length) : (0L, size);
        if (range is not null)
        {
            http.Response.StatusCode = StatusCodes.Status206PartialContent;
            headers.ContentRange = new ContentRangeHeaderValue(from, from + length - 1, size);
        }
        http.Response.ContentType = "application/octet-stream";
        http.Response.ContentLength = length;
        headers.ContentDisposition = Attachment(entry.Node.Name);

        // Ingest restores from the file's start: the bytes before the range are read and dropped.
        var content = restore.Content();
        await Skip(content, from, ct);
        await CopyExactly(content, http.Response.Body, length, ct);
        return Results.Empty;
    }

    private static async Task<IResult> DownloadArchiveAsync(
        HttpContext http, ReadableClients readable, IngestClient ingest,
        string clientId, string backup, string? path, string? format)
    {
        var ct = http.RequestAborted;
        var writer = format switch
        {
            null or "" or "zip" => ArchiveFormat.Zip,
            "tar.gz" => ArchiveFormat.TarGz,
            _ => throw new InvalidInputException("format", "format must be zip or tar.gz."),
        };
        var request = new RestoreRequest { Backup = backup, Path = RestorePath.Parse(path, emptyIsRoot: true) };
        using var call = await StartAsync(http, readable, ingest, clientId, request);
        var restore = new RestoreReader(call.ResponseStream);
        var root = await restore.NextEntryAsync(ct) ?? throw new NotFoundException("The path is not in the snapshot.");

        var name = request.Path.Length == 0 ? root.BackupId : root.Node.Name;
        http.Response.ContentType = writer == ArchiveFormat.Zip ? "application/zip" : "application/gzip";
        http.Response.GetTypedHeaders().ContentDisposition = Attachment(writer == ArchiveFormat.Zip ? $"{name}.zip" : $"{name}.tar.gz");
        // ZipArchive flushes each entry's deflate buffer synchronously when the entry is closed (.NET 10
        // has no async path there); the writes are at most a deflate buffer each.
        if (writer == ArchiveFormat.Zip) http.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;
        await http.Response.StartAsync(ct);
        // A single file restored as an archive: the archive holds it under its own name.
        var entryName = (RestoreEntry e) => e.Path.Length == 0 ? root.Node.Type == NodeType.Directory ? null : root.Node.Name : e.Path;
        if (writer == ArchiveFormat.Zip) await ArchiveWriters.WriteZipAsync(root, restore, entryName, http.Response.Body, ct);
        else await ArchiveWriters.WriteTarGzAsync(root, restore, entryName, http.Response.Body, ct);
        return Results.Empty;
    }

    /// <summary>Authorises the caller for the client, then opens Ingest's Restore stream for exactly that client.</summary>
    private static async Task<AsyncServerStreamingCall<RestoreResponse>> StartAsync(
        HttpContext http, ReadableClients readable, IngestClient ingest, string clientId, RestoreRequest request)
    {
        var client = await readable.FindAsync(clientId, "client_id", http.Caller(), http.RequestAborted);
        var owner = new SnapshotOwner(client.TenantId, client.Id);
        return ingest.Restore(request, owner.ToHeaders(), cancellationToken: http.RequestAborted);
    }

    internal static DateTimeOffset ModifiedAt(Node node) => DateTimeOffset.UnixEpoch.AddTicks(node.ModifiedNs / 100);

    private static ContentDispositionHeaderValue Attachment(string fileName)
    {
        var value = new ContentDispositionHeaderValue("attachment");
        value.SetHttpFileName(fileName);
        return value;
    }

    private static async Task Skip(Stream content, long count, CancellationToken ct)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (n == 0) throw new DataLossException("The restore stream ended before the requested range.");
            count -= n;
        }
    }

    private static async Task CopyExactly(Stream content, Stream body, long count, CancellationToken ct)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (n == 0) throw new DataLossException("The restore stream ended before the end of the file.");
            await body.WriteAsync(buffer.AsMemory(0, n), ct);
            count -= n;
        }
    }

    private enum ArchiveFormat { Zip, TarGz }
}
