using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.Contracts.Scheduler.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Urb.Domain.Usage;
using Urb.Scheduler.Data;

namespace Urb.Scheduler.Grpc;

/// <summary>The recorded usage days for Urb.Api (which authorises portals); internal, it trusts its callers.</summary>
public sealed class UsageHistoryService(SchedulerDbContext db) : UsageHistory.UsageHistoryBase
{
    public override async Task<ListUsageDaysResponse> ListUsageDays(ListUsageDaysRequest request, ServerCallContext context)
    {
        var tenantId = RequestId.Parse(request.TenantId, "tenant_id");
        var clientId = RequestId.ParseOptional(request.ClientId, "client_id");
        if (!DateOnly.TryParseExact(request.FirstDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var first))
        {
            throw new InvalidInputException("first_date", "first_date is a day as yyyy-MM-dd.");
        }
        var rows = db.UsageDays.AsNoTracking().Where(d => d.TenantId == tenantId && d.Day >= first);
        if (clientId is { } client) rows = rows.Where(d => d.ClientId == client);
        // One client has one row a day; a tenant's day is the sum over its clients' rows.
        var days = await rows.GroupBy(d => d.Day).OrderBy(g => g.Key).Select(g => new
        {
            Day = g.Key,
            Stored = g.Sum(d => d.StoredBytes),
            Plain = g.Sum(d => d.PlainBytes),
            Logical = g.Sum(d => d.LogicalBytes),
            Latest = g.Sum(d => d.LatestBackupBytes),
            Incremental = g.Sum(d => d.IncrementalBackups),
            Full = g.Sum(d => d.FullBackups),
            IncrementalImage = g.Sum(d => d.IncrementalImageBackups),
            FullImage = g.Sum(d => d.FullImageBackups),
        }).ToListAsync(context.CancellationToken);
        return new ListUsageDaysResponse
        {
            Days =
            {
                days.Select(d => new RecordedUsageDay
                {
                    Date = UsageHistoryRange.Format(d.Day),
                    StoredBytes = d.Stored,
                    PlainBytes = d.Plain,
                    LogicalBytes = d.Logical,
                    LatestBackupBytes = d.Latest,
                    IncrementalFileBackups = d.Incremental,
                    FullFileBackups = d.Full,
                    IncrementalImageBackups = d.IncrementalImage,
                    FullImageBackups = d.FullImage,
                }),
            },
        };
    }
}
