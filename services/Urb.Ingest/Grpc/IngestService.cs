using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Snapshot.V1;
using Urb.Contracts.Snapshots;
using Urb.Ingest.Backups;
using Urb.Ingest.Snapshots;
using Urb.ServiceDefaults.Grpc;
using IngestBase = Urb.Contracts.Ingest.V1.Ingest.IngestBase;

namespace Urb.Ingest.Grpc;

/// <summary>Internal: file backups, snapshot listings, browsing and restores for the caller-named owner (see ingest.proto).</summary>
public sealed class IngestService(
    BackupCatalog catalog,
    SnapshotReader reader,
    RestoreStreamer restores,
    IServiceProvider services) : IngestBase
{
    private const int EntriesPerMessage = 1000;

    public override Task RunBackup(IAsyncStreamReader<BackupRequest> requestStream, IServerStreamWriter<BackupResponse> responseStream, ServerCallContext context)
    {
        var owner = SnapshotOwner.FromHeaders(context.RequestHeaders);
        var session = services.GetRequiredService<BackupSession>();
        return session.RunAsync(owner, requestStream, responseStream, context.CancellationToken);
    }

    public override async Task<ListSnapshotsResponse> ListSnapshots(ListSnapshotsRequest request, ServerCallContext context)
    {
        var owner = SnapshotOwner.FromHeaders(context.RequestHeaders);
        var records = await catalog.ListAsync(owner, request.Limit, context.CancellationToken);
        return new ListSnapshotsResponse { Snapshots = { records.Select(BackupCatalog.ToMessage) } };
    }

    public override async Task ListEntries(ListEntriesRequest request, IServerStreamWriter<ListEntriesResponse> responseStream, ServerCallContext context)
    {
        var owner = SnapshotOwner.FromHeaders(context.RequestHeaders);
        var snapshot = await catalog.ResolveAsync(owner, request.Backup, context.CancellationToken);
        var node = await reader.FindAsync(snapshot, request.Path, context.CancellationToken);
        var prefix = request.Path.Trim('/');
        IEnumerable<(string Path, Node Node)> entries;
        if (node.Type != NodeType.Directory)
        {
            entries = [(prefix, node)];
        }
        else if (request.Recursive)
        {
            entries = (await reader.WalkAsync(snapshot.TenantId, node, context.CancellationToken)).Select(e => (Join(prefix, e.Path), e.Node));
        }
        else
        {
            var children = await reader.WalkChildrenAsync(snapshot.TenantId, node, context.CancellationToken);
            entries = children.Select(c => (Join(prefix, c.Name), c));
        }
        foreach (var batch in entries.Chunk(EntriesPerMessage))
        {
            var message = new ListEntriesResponse();
            message.Entries.AddRange(batch.Select(e => new Entry { Path = e.Path, Node = WithoutContent(e.Node) }));
            await responseStream.WriteAsync(message, context.CancellationToken);
        }
    }

    public override async Task Restore(RestoreRequest request, IServerStreamWriter<RestoreResponse> responseStream, ServerCallContext context)
    {
        var owner = SnapshotOwner.FromHeaders(context.RequestHeaders);
        var snapshot = await catalog.ResolveAsync(owner, request.Backup, context.CancellationToken);
        var responses = new RestoreResponseWriter(new CoalescingResponseWriter<RestoreResponse>(responseStream, context), request.AcceptsBatches);
        await restores.StreamAsync(snapshot, request, responses, context.CancellationToken);
    }

    private static string Join(string prefix, string path) => prefix.Length == 0 ? path : $"{prefix}/{path}";

    /// <summary>A node as shown to a reader: no chunk or tree IDs (no API hands out raw IDs).</summary>
    public static Node WithoutContent(Node node)
    {
        var shown = node.Clone();
        shown.ChunkIds = Google.Protobuf.ByteString.Empty;
        shown.SubtreeIds = Google.Protobuf.ByteString.Empty;
        return shown;
    }
}
