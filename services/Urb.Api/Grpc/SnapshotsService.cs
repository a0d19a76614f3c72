using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Api.Auth;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Contracts.Snapshots;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using CatalogClient = Urb.Contracts.Ingest.V1.BackupCatalog.BackupCatalogClient;
using IngestClient = Urb.Contracts.Ingest.V1.Ingest.IngestClient;

namespace Urb.Api.Grpc;

/// <summary>
/// A client's backups for portals: Urb.Api checks the key against the client's tenant, then asks
/// Urb.Ingest for exactly that client, as the gateway does for the client's own agent. Archiving
/// and deleting need a key that may manage the tenant.
/// </summary>
public sealed class SnapshotsService(ReadableClients readable, IngestClient ingest, CatalogClient catalog, TimeProvider time)
    : Contracts.Api.V1.Snapshots.SnapshotsBase
{
    /// <summary>A catalog change is one small statement; a hung call should not hold the portal.</summary>
    private static readonly TimeSpan CatalogDeadline = TimeSpan.FromSeconds(30);

    public override async Task<ListSnapshotsResponse> ListSnapshots(ListClientSnapshotsRequest request, ServerCallContext context)
    {
        var owner = await OwnerAsync(request.ClientId, context);
        return await ingest.ListSnapshotsAsync(new ListSnapshotsRequest { Limit = request.Limit }, owner.ToHeaders(), cancellationToken: context.CancellationToken);
    }

    public override async Task ListEntries(ListClientEntriesRequest request, IServerStreamWriter<ListEntriesResponse> responseStream, ServerCallContext context)
    {
        var owner = await OwnerAsync(request.ClientId, context);
        var upstream = new ListEntriesRequest { Backup = request.Backup, Path = request.Path, Recursive = request.Recursive };
        using var call = ingest.ListEntries(upstream, owner.ToHeaders(), cancellationToken: context.CancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    public override async Task<ArchiveSnapshotResponse> ArchiveSnapshot(ArchiveSnapshotRequest request, ServerCallContext context)
    {
        var (owner, backupId) = await ManagedAsync(request.ClientId, request.BackupId, context);
        // In microseconds, as the catalog stores it, so this answer equals what listings show later.
        var now = time.GetUtcNow();
        var archivedAt = Timestamp.FromDateTimeOffset(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)));
        var changed = await SetArchiveAsync(owner, backupId, new ArchiveState { ArchivedAt = archivedAt }, context);
        if (changed == 0) await EnsureSnapshotAsync(owner, backupId, context);
        return new ArchiveSnapshotResponse { Archive = new SnapshotArchive { ArchivedAt = archivedAt } };
    }

    public override async Task<UnarchiveSnapshotResponse> UnarchiveSnapshot(UnarchiveSnapshotRequest request, ServerCallContext context)
    {
        var (owner, backupId) = await ManagedAsync(request.ClientId, request.BackupId, context);
        var changed = await SetArchiveAsync(owner, backupId, null, context);
        if (changed == 0) await EnsureSnapshotAsync(owner, backupId, context);
        return new UnarchiveSnapshotResponse { WasArchived = changed > 0 };
    }

    public override async Task<DeleteSnapshotResponse> DeleteSnapshot(DeleteSnapshotRequest request, ServerCallContext context)
    {
        var (owner, backupId) = await ManagedAsync(request.ClientId, request.BackupId, context);
        // An operator's delete is explicit: it also deletes an archived backup.
        var answer = await catalog.DeleteBackupsAsync(new DeleteBackupsRequest
        {
            TenantId = owner.TenantId.ToString(), ClientId = owner.ClientId.ToString(), BackupIds = { backupId }, IncludeArchived = true,
        }, deadline: DateTime.UtcNow + CatalogDeadline, cancellationToken: context.CancellationToken);
        if (answer.Deleted.Count == 0) throw NotASnapshot(backupId);
        return new DeleteSnapshotResponse();
    }

    private async Task<SnapshotOwner> OwnerAsync(string clientId, ServerCallContext context)
    {
        var client = await readable.FindAsync(clientId, "client_id", context);
        return new SnapshotOwner(client.TenantId, client.Id);
    }

    /// <summary>The owner of a backup the caller wants to change: the client must be readable (else NotFound) and its tenant managed by the key.</summary>
    private async Task<(SnapshotOwner Owner, string BackupId)> ManagedAsync(string clientId, string backupId, ServerCallContext context)
    {
        var backup = RequestId.Parse(backupId, "backup_id");
        var owner = await OwnerAsync(clientId, context);
        context.Caller().EnsureCanManage(owner.TenantId, "the client's snapshots");
        return (owner, backup.ToString());
    }

    private async Task<int> SetArchiveAsync(SnapshotOwner owner, string backupId, ArchiveState? mark, ServerCallContext context)
    {
        var answer = await catalog.SetArchiveAsync(new SetArchiveRequest
        {
            TenantId = owner.TenantId.ToString(), ClientId = owner.ClientId.ToString(), BackupIds = { backupId }, Archive = mark,
        }, deadline: DateTime.UtcNow + CatalogDeadline, cancellationToken: context.CancellationToken);
        return answer.Changed;
    }

    /// <summary>Nothing changed: either the backup already was as asked, or it is not one of the client's snapshots.</summary>
    private async Task EnsureSnapshotAsync(SnapshotOwner owner, string backupId, ServerCallContext context)
    {
        var listed = await catalog.ListClientBackupsAsync(new ListClientBackupsRequest
        {
            TenantId = owner.TenantId.ToString(), ClientId = owner.ClientId.ToString(),
        }, deadline: DateTime.UtcNow + CatalogDeadline, cancellationToken: context.CancellationToken);
        if (!listed.Backups.Any(b => b.BackupId == backupId)) throw NotASnapshot(backupId);
    }

    private static NotFoundException NotASnapshot(string backupId) => new($"Backup {backupId} is not a completed backup of this client.");
}
