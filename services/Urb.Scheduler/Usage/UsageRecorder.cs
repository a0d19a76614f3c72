using Microsoft.EntityFrameworkCore;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Domain.Usage;
using Urb.Scheduler.Data;
using Urb.Scheduler.Dispatch;
using Urb.ServiceDefaults.Usage;

namespace Urb.Scheduler.Usage;

/// <summary>
/// Writes the usage history: one row per live client per UTC day in <c>scheduler.usage_days</c>.
/// The nightly cleanup records after its garbage collection, so a day shows what the night left;
/// a day the cleanup does not run on (its window closed all day, or the cleanup failed) is
/// recorded by the first scheduler tick that finds no row for it.
/// </summary>
public sealed partial class UsageRecorder(
    SchedulerDbContext db,
    DedupIndex.DedupIndexClient index,
    BackupCatalog.BackupCatalogClient catalog,
    SchedulerClock clock,
    ILogger<UsageRecorder> logger)
{
    /// <summary>Records today's row of every client, replacing one recorded earlier today; how many rows were written.</summary>
    public async Task<int> RecordAsync(IReadOnlyList<PlannedClient> clients, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var day = UsageHistoryRange.DayOf(now);
        foreach (var tenant in clients.GroupBy(c => c.TenantId))
        {
            var usage = await CurrentUsage.ReadAsync(index, catalog, tenant.Key, null, cancellationToken);
            foreach (var client in tenant)
            {
                await UpsertAsync(client.TenantId, client.ClientId, day, usage.Of(client.ClientId), now, cancellationToken);
            }
        }
        LogRecorded(clients.Count, day);
        return clients.Count;
    }

    /// <summary>Records today's rows unless some were recorded today already.</summary>
    public async Task RecordIfMissingAsync(IReadOnlyList<PlannedClient> clients, CancellationToken cancellationToken)
    {
        var day = UsageHistoryRange.DayOf(clock.Now);
        if (clients.Count == 0 || await db.UsageDays.AnyAsync(d => d.Day == day, cancellationToken)) return;
        await RecordAsync(clients, cancellationToken);
    }

    // An upsert: the cleanup replaces the rows a tick wrote earlier the same day.
    private Task<int> UpsertAsync(Guid tenantId, Guid clientId, DateOnly day, UsageTotals usage, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO scheduler.usage_days
                (client_id, day, tenant_id, stored_bytes, plain_bytes, logical_bytes, latest_backup_bytes, incremental_backups, full_backups,
                incremental_image_backups, full_image_backups, recorded_at)
            VALUES ({clientId}, {day}, {tenantId}, {usage.StoredBytes}, {usage.PlainBytes}, {usage.LogicalBytes}, {usage.LatestBackupBytes},
                {usage.IncrementalBackups}, {usage.FullBackups}, {usage.IncrementalImageBackups}, {usage.FullImageBackups}, {now})
            ON CONFLICT (client_id, day) DO UPDATE SET
                tenant_id = excluded.tenant_id, stored_bytes = excluded.stored_bytes, plain_bytes = excluded.plain_bytes,
                logical_bytes = excluded.logical_bytes, latest_backup_bytes = excluded.latest_backup_bytes,
                incremental_backups = excluded.incremental_backups, full_backups = excluded.full_backups,
                incremental_image_backups = excluded.incremental_image_backups, full_image_backups = excluded.full_image_backups,
                recorded_at = excluded.recorded_at
            """, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage of {Clients} clients recorded for {Day}")]
    private partial void LogRecorded(int clients, DateOnly day);
}
