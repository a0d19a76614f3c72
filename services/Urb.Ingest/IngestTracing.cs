using System.Diagnostics;

namespace Urb.Ingest;

/// <summary>
/// Urb.Ingest's own spans (activity source "Urb.Ingest", registered with every "Urb.*" source).
/// A backup's "backup" span is the parent of the index and storage calls made for it, so one
/// trace shows the backup from the gateway down to the pack files.
/// </summary>
public static class IngestTracing
{
    public const string SourceName = "Urb.Ingest";

    public static readonly ActivitySource Source = new(SourceName);

    public const string TenantTag = "urb.tenant.id";
    public const string ClientTag = "urb.client.id";
    public const string BackupTag = "urb.backup.id";
    public const string KindTag = "urb.backup.kind";
    public const string OutcomeTag = "urb.backup.outcome";
}
