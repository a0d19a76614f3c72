using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Content;
using Urb.Ingest.Activities;
using Urb.Ingest.Backups;
using Urb.Ingest.Data;
using Urb.ServiceDefaults.Activities;
using Urb.ServiceDefaults.Content;
using Urb.ServiceDefaults.Grpc;

namespace Urb.Ingest.Snapshots;

/// <summary>
/// Streams a subtree of a snapshot: each entry, and right after a file's entry its content,
/// read from storage many chunks per call in the order the files come. Content goes as verified
/// plaintext, or (when the restoring side asks for chunks) as the chunks are stored: a compressed
/// chunk stays one zstd frame from storage to the agent, which decompresses and verifies it, so
/// each hop carries about a third of the bytes and does none of that work. When the restoring
/// side keeps chunks (<see cref="RestoreRequest.ChunksOnce"/>), a chunk the restore needs again
/// is read from storage and sent only where it first comes (<see cref="ChunkUses"/>). A frame
/// compressed with a dictionary goes as it is only to a side that has that dictionary: the
/// snapshot's client's own, given on the first entry (<see cref="RestoreRequest.AcceptsDictionaries"/>);
/// storage decompresses any other.
/// </summary>
public sealed class RestoreStreamer(
    SnapshotReader reader, ChunkSource chunks, ChunkIdKeys idKeys, ClientDictionaries dictionaries, ActivityPublisher activities, IngestLiveLog liveLog)
{
    /// <summary>Streams the subtree at the request's path, its content as the request asks (<see cref="RestoreRequest"/>).</summary>
    public async Task StreamAsync(BackupRecord snapshot, RestoreRequest request, RestoreResponseWriter responses, CancellationToken cancellationToken)
    {
        var (path, asChunks) = (request.Path.Trim('/'), request.AsChunks);
        var top = await reader.FindAsync(snapshot, path, cancellationToken);
        var entries = new List<(string Path, Node Node)> { ("", top) };
        if (top.Type == NodeType.Directory) entries.AddRange(await reader.WalkAsync(snapshot.TenantId, top, cancellationToken));

        var files = entries.Where(e => e.Node.Type == NodeType.File).ToList();
        var (fileCount, bytes) = (files.Count, files.Sum(e => e.Node.Size));
        var activity = activities.Begin(Guid.NewGuid(), snapshot.TenantId, snapshot.ClientId, ActivityState.Restore);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        liveLog.RestoreStarted(snapshot, path, fileCount, bytes);
        try
        {
            activity.SetTotals(fileCount, bytes);
            var idKey = asChunks ? await idKeys.GetAsync(snapshot.TenantId, cancellationToken) : null;
            var own = asChunks && request.AcceptsDictionaries
                ? await dictionaries.ForClientAsync(snapshot.TenantId, snapshot.ClientId, cancellationToken)
                : [];
            await StreamAsync(snapshot, entries, idKey, own, asChunks && request.ChunksOnce, activity, responses, cancellationToken);
            await responses.FlushAsync(cancellationToken);
            liveLog.RestoreFinished(snapshot, fileCount, bytes, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            liveLog.RestoreEnded(snapshot, BackupSession.IsInterruption(e), e.Message);
            throw;
        }
        finally
        {
            activities.End(activity);
        }
    }

    /// <param name="idKey">The tenant's chunk-ID key when content goes as stored chunks; null for plaintext.</param>
    /// <param name="own">The client's dictionaries the restoring side takes: their frames go as they are.</param>
    private async Task StreamAsync(
        BackupRecord snapshot, List<(string Path, Node Node)> entries, byte[]? idKey, List<ZstdDict> own, bool chunksOnce, LiveActivity activity,
        RestoreResponseWriter responses, CancellationToken cancellationToken)
    {
        var contentIds = entries.Where(e => e.Node.Type == NodeType.File).SelectMany(e => ChunkId.Unpack(e.Node.ChunkIds.Memory)).ToList();
        var asChunks = idKey is not null;
        var uses = chunksOnce ? new ChunkUses(contentIds) : null;
        await using var content = new AsyncLookahead<ChunkPiece>(
            chunks.ReadAsync(snapshot.TenantId, uses?.Distinct ?? contentIds, asChunks, own.Select(d => d.Id), cancellationToken), cancellationToken);
        var first = true;
        // The files' chunk IDs in contentIds are in the order of the entries: each file takes its own from there.
        var nextId = 0;
        foreach (var (entryPath, node) in entries)
        {
            // Chunk IDs stay: the restoring side tells hard links from reused inode numbers by content,
            // and finds the chunks it keeps (chunks once) by them.
            var sent = node.Clone();
            sent.SubtreeIds = Google.Protobuf.ByteString.Empty;
            var entry = new RestoreEntry { Path = entryPath, Node = sent };
            if (first)
            {
                entry.BackupId = snapshot.Id.ToString();
                if (asChunks) entry.ChunkIdKey = Google.Protobuf.ByteString.CopyFrom(idKey);
                entry.Dictionaries.AddRange(own.Select(CompressionDictionaries.ToMessage));
            }
            first = false;
            // Entries are small: they go out with the next content (or the end) instead of one flush each.
            var entryMessage = new RestoreResponse { Entry = entry };
            await responses.WriteAsync(entryMessage, entryMessage.CalculateSize(), moreReady: true, cancellationToken);
            if (node.Type != NodeType.File) continue;
            activity.Count(0, entryPath);
            for (var remaining = node.ChunkIds.Length / ChunkId.Size; remaining > 0; remaining--)
            {
                var id = contentIds[nextId++];
                var laterUses = 0;
                if (uses is not null && !uses.TakeFirst(id, out laterUses, out var plainLength))
                {
                    // Sent earlier in this restore: the restoring side kept it.
                    activity.AddBytes(plainLength);
                    continue;
                }
                var chunkBytes = await SendChunkAsync(content, asChunks, laterUses, responses, cancellationToken);
                activity.AddBytes(chunkBytes);
                uses?.Sent(id, chunkBytes);
            }
        }
    }

    /// <summary>Sends the pieces of the next chunk from storage; returns its plaintext length.</summary>
    private static async Task<long> SendChunkAsync(
        AsyncLookahead<ChunkPiece> content, bool asChunks, int laterUses, RestoreResponseWriter responses, CancellationToken cancellationToken)
    {
        long plainLength = 0;
        for (var firstPiece = true; ; firstPiece = false)
        {
            if (!await content.MoveNextAsync()) throw new InvalidOperationException("Storage returned fewer chunks than asked for.");
            var piece = content.Current;
            if (asChunks)
            {
                var chunk = new RestoreChunk { Data = piece.Data, Compressed = piece.Compressed, EndOfChunk = piece.EndOfChunk };
                if (firstPiece) chunk.LaterUses = (uint)laterUses;
                await responses.WriteAsync(new RestoreResponse { Chunk = chunk }, piece.Data.Length, moreReady: content.NextIsReady, cancellationToken);
                plainLength += piece.PlainLength;
            }
            else
            {
                if (!piece.Data.IsEmpty)
                {
                    await responses.WriteAsync(new RestoreResponse { Data = piece.Data }, piece.Data.Length, moreReady: content.NextIsReady, cancellationToken);
                }
                plainLength += piece.Data.Length;
            }
            if (piece.EndOfChunk) return plainLength;
        }
    }
}
