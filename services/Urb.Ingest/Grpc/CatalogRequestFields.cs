using Google.Protobuf.Collections;
using Urb.Contracts.Snapshots;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Ingest.Grpc;

/// <summary>Checks the fields of BackupCatalog requests; a malformed one is an <see cref="InvalidInputException"/> naming it.</summary>
internal static class CatalogRequestFields
{
    /// <summary>Enough for any cleanup of one client, small enough for one statement.</summary>
    public const int MaxBackupIds = 10_000;

    public static SnapshotOwner Owner(string tenantId, string clientId) =>
        new(RequestId.Parse(tenantId, "tenant_id"), RequestId.Parse(clientId, "client_id"));

    public static Guid[] BackupIds(RepeatedField<string> ids)
    {
        if (ids.Count > MaxBackupIds) throw new InvalidInputException("backup_ids", $"At most {MaxBackupIds} backup IDs per call; got {ids.Count}.");
        return ids.Select((id, i) => RequestId.Parse(id, $"backup_ids[{i}]")).Distinct().ToArray();
    }
}
