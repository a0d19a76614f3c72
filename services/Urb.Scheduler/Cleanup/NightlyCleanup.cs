using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Domain.Errors;
using Urb.Domain.Retention;
using Urb.Domain.Settings;
using Urb.Scheduler.Data;
using Urb.Scheduler.Dispatch;
using Urb.Scheduler.Usage;
using Urb.ServiceDefaults.LiveLogging;

namespace Urb.Scheduler.Cleanup;

/// <summary>
/// The nightly cleanup, in the order of <c>src/Urb.Domain/Retention/README.md</c>: per client,
/// clear archives that ran out and apply the archival rules; then retention (counts or GFS) and
/// the client soft quotas, then the global soft quota; delete what the plan says; then collect
/// the garbage; then record the day's usage. Every decision is logged with its reason.
/// </summary>
public sealed partial class NightlyCleanup(
    SchedulerDbContext db,
    TickPlanningInputs planning,
    BackupCatalog.BackupCatalogClient catalog,
    DedupIndex.DedupIndexClient index,
    GarbageCollector.GarbageCollectorClient garbage,
    UsageRecorder usage,
    SchedulerClock clock,
    IOptions<SchedulerOptions> options,
    SchedulerMetrics metrics,
    LiveLog liveLog,
    ILogger<NightlyCleanup> logger)
{
    /// <summary>How long a cleanup that failed waits before the next try within the same window.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(15);

    /// <summary>Runs the cleanup when the window is open and it has not run in this opening; null when it did not run.</summary>
    public async Task<CleanupRunRecord?> RunIfDueAsync(CancellationToken cancellationToken)
    {
        var inputs = await planning.GetAsync(cancellationToken);
        var window = inputs.Global.Window(SettingCatalog.CleanupWindow);
        var retryFrom = clock.Now - RetryAfterFailure;
        var last = await db.CleanupRuns
            .Where(r => r.Status == CleanupStatus.Done || r.StartedAt > retryFrom)
            .OrderByDescending(r => r.StartedAt).Select(r => (DateTimeOffset?)r.StartedAt).FirstOrDefaultAsync(cancellationToken);
        var lastLocal = last is { } l ? TimeZoneInfo.ConvertTime(l, clock.Zone).DateTime : (DateTime?)null;
        if (!CleanupWindowGate.IsDue(window, clock.LocalNow, lastLocal))
        {
            // A day the cleanup does not run on still gets its usage row.
            await usage.RecordIfMissingAsync(inputs.Clients, cancellationToken);
            return null;
        }
        return await RunAsync(inputs, cancellationToken);
    }

    /// <summary>Runs the cleanup now, whatever the window says.</summary>
    public async Task<CleanupRunRecord> RunAsync(CancellationToken cancellationToken) =>
        await RunAsync(await planning.GetAsync(cancellationToken), cancellationToken);

    private async Task<CleanupRunRecord> RunAsync(PlanningInputs inputs, CancellationToken cancellationToken)
    {
        var run = new CleanupRunRecord { Id = Guid.CreateVersion7(clock.Now), StartedAt = clock.Now, Status = CleanupStatus.Running };
        db.CleanupRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        LogStarted(run.Id, inputs.Clients.Count);
        try
        {
            var context = new CleanupContext(clock.Now, clock.Zone, StorageCapacity());
            var charged = await UsageAsync(inputs.Clients, cancellationToken);
            var planned = new List<ClientCleanupInput>();
            foreach (var client in inputs.Clients)
            {
                if (await PrepareClientAsync(client, charged.GetValueOrDefault(client.ClientId), context, run, cancellationToken) is { } input)
                {
                    planned.Add(input);
                }
            }
            var globalQuota = inputs.Global.Quota(SettingCatalog.GlobalSoftQuota);
            var plan = CleanupPlanner.PlanAll(planned, globalQuota, context);
            await ApplyAsync(plan, inputs, run, cancellationToken);

            var report = await garbage.CollectGarbageAsync(new CollectGarbageRequest
            {
                Grace = options.Value.GarbageGrace is { } grace ? Duration.FromTimeSpan(grace) : null,
            }, cancellationToken: cancellationToken);
            LogGarbage(report.SnapshotsMarked, report.ObjectsLive, report.ObjectsCondemned, report.ObjectsRevived, report.ObjectsDeleted,
                report.PacksDeleted, report.PacksRewritten, report.BytesReclaimed);

            run.Status = CleanupStatus.Done;
            run.Summary = $"{run.BackupsArchived} archived, {run.BackupsDeleted} deleted; garbage: {report.ObjectsCondemned} condemned, "
                + $"{report.ObjectsDeleted} deleted, {report.PacksDeleted} packs deleted, {report.PacksRewritten} rewritten, "
                + $"{RetentionText.Bytes(report.BytesReclaimed)} reclaimed";
            await RecordUsageAsync(inputs.Clients, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            run.Status = CleanupStatus.Failed;
            run.Summary = $"{run.BackupsArchived} archived, {run.BackupsDeleted} deleted, then failed: {e.Message}";
            LogFailed(run.Id, e.Message);
        }
        run.FinishedAt = clock.Now;
        await db.SaveChangesAsync(CancellationToken.None);
        LogFinished(run.Id, run.Status, run.Summary ?? "");
        return run;
    }

    /// <summary>A client's archival applied, and its input to the retention plan; null when its settings are unusable (logged).</summary>
    private async Task<ClientCleanupInput?> PrepareClientAsync(
        PlannedClient client, long storedBytes, CleanupContext context, CleanupRunRecord run, CancellationToken cancellationToken)
    {
        RetentionPolicy policy;
        SoftQuota quota;
        IReadOnlyList<ArchivalRule> rules;
        try
        {
            policy = client.Settings.Retention();
            quota = client.Settings.Quota(SettingCatalog.SoftClientQuota);
            rules = client.Settings.ArchivalRules(SettingCatalog.ArchiveRules);
        }
        catch (InvalidInputException e)
        {
            LogClientSkipped(client.Name, client.ClientId, e.Message);
            return null;
        }
        var listed = await catalog.ListClientBackupsAsync(
            new ListClientBackupsRequest { TenantId = client.TenantId.ToString(), ClientId = client.ClientId.ToString() }, cancellationToken: cancellationToken);
        var records = ClientBackups.ToRecords(listed.Backups, storedBytes).ToDictionary(r => r.Id);

        var lastArchived = await db.ArchivalRules.Where(r => r.ClientId == client.ClientId)
            .ToDictionaryAsync(r => r.RuleId, r => r.LastArchivedAt, cancellationToken);
        var archival = ArchivalPlanner.Plan(rules, [.. records.Values], context, lastArchived);
        foreach (var expiry in archival.Expire)
        {
            await SetArchiveAsync(client, expiry.Backup.Id, null, cancellationToken);
            records[expiry.Backup.Id] = expiry.Backup.Unarchived();
            LogArchive(client.Name, expiry.Backup.Id, expiry.Explanation);
            liveLog.Publish(LiveLogEvent.ForClient(client.TenantId, client.ClientId, LiveLogLevel.Info,
                $"Cleanup: backup {expiry.Backup.Id} of {client.Name} no longer archived: {expiry.Explanation}"));
        }
        foreach (var decision in archival.Archive)
        {
            await SetArchiveAsync(client, decision.Backup.Id, decision.Mark, cancellationToken);
            records[decision.Backup.Id] = decision.Backup.WithArchive(decision.Mark);
            run.BackupsArchived++;
            LogArchive(client.Name, decision.Backup.Id, decision.Explanation);
            liveLog.Publish(LiveLogEvent.ForClient(client.TenantId, client.ClientId, LiveLogLevel.Info,
                $"Cleanup: backup {decision.Backup.Id} of {client.Name} archived: {decision.Explanation}"));
        }
        foreach (var outcome in archival.Rules)
        {
            LogRule(client.Name, outcome.Rule.Id, outcome.Explanation);
            if (outcome.Status == ArchivalRuleStatus.Archived && outcome.LastArchivedAt is { } at)
            {
                await RememberArchivalAsync(client.ClientId, outcome.Rule.Id, at, cancellationToken);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ClientCleanupInput(client.ClientId, [.. records.Values], policy, quota);
    }

    private async Task ApplyAsync(CleanupPlan plan, PlanningInputs inputs, CleanupRunRecord run, CancellationToken cancellationToken)
    {
        var clients = inputs.Clients.ToDictionary(c => c.ClientId);
        foreach (var clientPlan in plan.Clients)
        {
            var client = clients[clientPlan.ClientId];
            foreach (var decision in clientPlan.Decisions)
            {
                LogDecision(decision.IsDelete || decision.IsExemption ? LogLevel.Information : LogLevel.Debug, client.Name, decision);
            }
            if (!clientPlan.Quota.IsMet) LogQuotaUnmet(client.Name, clientPlan.Quota.Explanation);
            var ids = clientPlan.Deletions.Select(d => d.Backup.Id.ToString()).ToList();
            if (ids.Count == 0) continue;
            var deleted = await catalog.DeleteBackupsAsync(new DeleteBackupsRequest
            {
                TenantId = client.TenantId.ToString(),
                ClientId = client.ClientId.ToString(),
                BackupIds = { ids },
            }, cancellationToken: cancellationToken);
            run.BackupsDeleted += deleted.Deleted.Count;
            foreach (var deletion in clientPlan.Deletions.Where(d => deleted.Deleted.Contains(d.Backup.Id.ToString())))
            {
                liveLog.Publish(LiveLogEvent.ForClient(client.TenantId, client.ClientId, LiveLogLevel.Info,
                    $"Cleanup: backup {deletion.Backup.Id} of {client.Name} deleted: {deletion.Explanation}"));
            }
            metrics.BackupsDeleted.Add(deleted.Deleted.Count);
        }
        if (!plan.GlobalQuota.IsMet) LogQuotaUnmet("(all clients)", plan.GlobalQuota.Explanation);
    }

    /// <summary>What each client is charged now, per tenant from the index.</summary>
    private async Task<Dictionary<Guid, long>> UsageAsync(IReadOnlyList<PlannedClient> clients, CancellationToken cancellationToken)
    {
        var charged = new Dictionary<Guid, long>();
        foreach (var tenant in clients.Select(c => c.TenantId).Distinct())
        {
            var answer = await index.GetUsageAsync(new GetUsageRequest { TenantId = tenant.ToString() }, cancellationToken: cancellationToken);
            foreach (var client in answer.Clients)
            {
                charged[Guid.Parse(client.ClientId)] = client.StoredBytes;
            }
        }
        return charged;
    }

    /// <summary>
    /// The day's usage after the garbage collection. The cleanup itself is done: a failure here is
    /// logged, not retried as a failed cleanup (the day keeps an earlier row, if a tick wrote one).
    /// </summary>
    private async Task RecordUsageAsync(IReadOnlyList<PlannedClient> clients, CancellationToken cancellationToken)
    {
        try
        {
            await usage.RecordAsync(clients, cancellationToken);
        }
        catch (Exception e) when (e is global::Grpc.Core.RpcException or Npgsql.NpgsqlException)
        {
            LogUsageNotRecorded(e.Message);
        }
    }

    private async Task SetArchiveAsync(PlannedClient client, Guid backupId, ArchiveMark? mark, CancellationToken cancellationToken) =>
        await catalog.SetArchiveAsync(new SetArchiveRequest
        {
            TenantId = client.TenantId.ToString(),
            ClientId = client.ClientId.ToString(),
            BackupIds = { backupId.ToString() },
            Archive = mark is null ? null : ClientBackups.ToState(mark),
        }, cancellationToken: cancellationToken);

    private async Task RememberArchivalAsync(Guid clientId, string ruleId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var state = await db.ArchivalRules.FindAsync([clientId, ruleId], cancellationToken);
        if (state is null) db.ArchivalRules.Add(new ArchivalRuleState { ClientId = clientId, RuleId = ruleId, LastArchivedAt = at });
        else state.LastArchivedAt = at;
    }

    private long? StorageCapacity() =>
        options.Value.StorageCapacity is { Length: > 0 } text ? SoftQuota.Parse(text, "Scheduler:StorageCapacity").Bytes : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup {RunId} started for {Clients} clients")]
    private partial void LogStarted(Guid runId, int clients);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleanup skips client {ClientName} ({ClientId}): {Reason}")]
    private partial void LogClientSkipped(string clientName, Guid clientId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientName}: backup {BackupId}: {Explanation}")]
    private partial void LogArchive(string clientName, Guid backupId, string explanation);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientName}: archival rule '{RuleId}': {Explanation}")]
    private partial void LogRule(string clientName, string ruleId, string explanation);

    /// <summary>Deletions and exemptions at Information, plain keeps at Debug.</summary>
    [LoggerMessage(Message = "Client {ClientName}: {Decision}")]
    private partial void LogDecision(LogLevel level, string clientName, RetentionDecision decision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Soft quota of {ClientName} still exceeded after the cleanup: {Explanation}")]
    private partial void LogQuotaUnmet(string clientName, string explanation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Garbage collection: {Snapshots} snapshots marked, {Live} objects live, {Condemned} condemned, {Revived} revived, {Deleted} deleted, {PacksDeleted} packs deleted, {PacksRewritten} rewritten, {Bytes} bytes reclaimed")]
    private partial void LogGarbage(int snapshots, long live, long condemned, long revived, long deleted, int packsDeleted, int packsRewritten, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleanup done, but the day's usage was not recorded: {Reason}")]
    private partial void LogUsageNotRecorded(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cleanup {RunId} failed (retried in the window after a pause): {Reason}")]
    private partial void LogFailed(Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup {RunId} {Status}: {Summary}")]
    private partial void LogFinished(Guid runId, string status, string summary);
}

public static class CleanupStatus
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}
