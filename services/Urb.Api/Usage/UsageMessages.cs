using Urb.Contracts.Api.V1;
using Urb.Contracts.Scheduler.V1;
using Urb.Domain.Usage;
using ClientRow = Urb.Api.Data.Client;

namespace Urb.Api.Usage;

/// <summary>Usage figures on the wire; the ratios always come from <see cref="UsageTotals"/>, so current and recorded figures agree.</summary>
internal static class UsageMessages
{
    public static UsageFigures ToMessage(UsageTotals usage) => new()
    {
        StoredBytes = usage.StoredBytes,
        PlainBytes = usage.PlainBytes,
        LogicalBytes = usage.LogicalBytes,
        LatestBackupBytes = usage.LatestBackupBytes,
        DedupRatio = usage.DedupRatio,
        CompressionRatio = usage.CompressionRatio,
        IncrementalFileBackups = usage.IncrementalBackups,
        FullFileBackups = usage.FullBackups,
        IncrementalImageBackups = usage.IncrementalImageBackups,
        FullImageBackups = usage.FullImageBackups,
    };

    public static ClientUsageFigures ForClient(ClientRow client, UsageTotals usage) => new()
    {
        ClientId = client.Id.ToString(),
        TenantId = client.TenantId.ToString(),
        Usage = ToMessage(usage),
    };

    public static UsageDay ToMessage(RecordedUsageDay day) => new()
    {
        Date = day.Date,
        Usage = ToMessage(new UsageTotals(day.StoredBytes, day.PlainBytes, day.LogicalBytes, day.LatestBackupBytes,
            day.IncrementalFileBackups, day.FullFileBackups, day.IncrementalImageBackups, day.FullImageBackups)),
    };
}
