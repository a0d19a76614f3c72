using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Domain.Identity;
using Urb.Ingest.Data;
using Urb.Ingest.Snapshots;
using static Urb.Ingest.Grpc.CatalogRequestFields;
using BackupCatalogBase = Urb.Contracts.Ingest.V1.BackupCatalog.BackupCatalogBase;

namespace Urb.Ingest.Grpc;

/// <summary>
/// Internal: the backup catalog for Urb.Scheduler and Urb.Api (see catalog.proto). The caller
/// names tenant and client in the request and has authorised the call; every field is checked
/// before anything is read or changed.
/// </summary>
public sealed class BackupCatalogService(CatalogMaintenance catalog, BackupTotals totals) : BackupCatalogBase
{
    public override async Task<GetLastBackupsResponse> GetLastBackups(GetLastBackupsRequest request, ServerCallContext context)
    {
        var tenant = RequestId.ParseOptional(request.TenantId, "tenant_id");
        var clients = await catalog.LastBackupsAsync(tenant, context.CancellationToken);
        return new GetLastBackupsResponse { Clients = { clients.Select(ToMessage) } };
    }

    public override async Task<ListClientBackupsResponse> ListClientBackups(ListClientBackupsRequest request, ServerCallContext context)
    {
        var backups = await catalog.ListAsync(Owner(request.TenantId, request.ClientId), context.CancellationToken);
        return new ListClientBackupsResponse { Backups = { backups.Select(ToMessage) } };
    }

    public override async Task<SetArchiveResponse> SetArchive(SetArchiveRequest request, ServerCallContext context)
    {
        var owner = Owner(request.TenantId, request.ClientId);
        var ids = BackupIds(request.BackupIds);
        var mark = request.Archive is null ? null : ArchiveMarks.Parse(request.Archive, "archive");
        var changed = ids.Length == 0 ? 0 : await catalog.SetArchiveAsync(owner, ids, mark, context.CancellationToken);
        return new SetArchiveResponse { Changed = changed };
    }

    public override async Task<DeleteBackupsResponse> DeleteBackups(DeleteBackupsRequest request, ServerCallContext context)
    {
        var owner = Owner(request.TenantId, request.ClientId);
        var ids = BackupIds(request.BackupIds);
        var deleted = ids.Length == 0 ? [] : await catalog.DeleteAsync(owner, ids, request.IncludeArchived, context.CancellationToken);
        return new DeleteBackupsResponse { Deleted = { deleted.Select(id => id.ToString()) } };
    }

    public override async Task<GetBackupTotalsResponse> GetBackupTotals(GetBackupTotalsRequest request, ServerCallContext context)
    {
        var tenant = RequestId.Parse(request.TenantId, "tenant_id");
        var client = RequestId.ParseOptional(request.ClientId, "client_id");
        var clients = await totals.OfAsync(tenant, client, context.CancellationToken);
        return new GetBackupTotalsResponse { Clients = { clients.Select(ToMessage) } };
    }

    private static ClientBackupTotals ToMessage(ClientTotals client) => new()
    {
        ClientId = client.ClientId.ToString(),
        IncrementalBackups = client.Incremental,
        FullBackups = client.Full,
        IncrementalImageBackups = client.IncrementalImage,
        FullImageBackups = client.FullImage,
        TotalBytes = client.TotalBytes,
        LatestTotalBytes = client.LatestTotalBytes,
    };

    private static ClientLastBackups ToMessage(LastBackups client) => new()
    {
        TenantId = client.TenantId.ToString(),
        ClientId = client.ClientId.ToString(),
        LastIncrementalFinishedAt = Time(client.LastIncremental),
        LastFullFinishedAt = Time(client.LastFull),
        LastIncrementalImageFinishedAt = Time(client.LastIncrementalImage),
        LastFullImageFinishedAt = Time(client.LastFullImage),
        Running = client.Running,
    };

    private static CatalogBackup ToMessage(BackupRecord record) => new()
    {
        BackupId = record.Id.ToString(),
        Kind = (BackupKind)record.Kind,
        StartedAt = Timestamp.FromDateTimeOffset(record.StartedAt),
        FinishedAt = Time(record.FinishedAt),
        BytesNew = record.BytesNew,
        TotalBytes = record.TotalBytes,
        Archive = ArchiveMarks.From(record) is { } mark ? ArchiveMarks.ToState(mark) : null,
    };

    private static Timestamp? Time(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}
