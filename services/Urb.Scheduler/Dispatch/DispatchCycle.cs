using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;
using Urb.Domain.Errors;
using Urb.Domain.Retention;
using Urb.Domain.Scheduling;
using Urb.Domain.Settings;
using Urb.Scheduler.Data;
using Urb.ServiceDefaults.Agents;

namespace Urb.Scheduler.Dispatch;

/// <summary>
/// One tick of the scheduler: settle running jobs whose outcome the catalog already shows or that
/// timed out, drop queued jobs that are no longer due, queue the backups that are due now, and
/// start queued ones on connected agents within <c>max_running_jobs</c>, one job per client.
/// An offline client's job waits in the queue and starts when its agent connects, if still due.
/// </summary>
public sealed partial class DispatchCycle(
    SchedulerDbContext db,
    TickPlanningInputs planning,
    AgentCommandBus commands,
    SchedulerClock clock,
    IOptions<SchedulerOptions> options,
    SchedulerMetrics metrics,
    JobOutcomes outcomes,
    ILogger<DispatchCycle> logger)
{
    public async Task<DispatchReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var inputs = await planning.GetAsync(cancellationToken);
        var clients = inputs.Clients.ToDictionary(c => c.ClientId);
        var active = await db.Jobs.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .OrderBy(j => j.QueuedAt).ThenBy(j => j.Id).ToListAsync(cancellationToken);

        var finished = SettleRunning(active, clients);
        var cancelled = DropStale(active, clients);
        var queued = QueueDue(active, inputs.Clients);
        await db.SaveChangesAsync(cancellationToken);

        var started = await StartQueuedAsync(active, inputs.Global.Count(SettingCatalog.MaxRunningJobs), cancellationToken);
        var waiting = active.Count(j => j.Status == JobStatus.Queued);
        var running = active.Count(j => j.Status == JobStatus.Running);
        metrics.Observe(waiting, running);
        return new DispatchReport(queued, started, cancelled, finished, waiting, running);
    }

    /// <summary>Running jobs the catalog shows finished (the agent's outcome may have been lost) or that waited too long for an outcome.</summary>
    private int SettleRunning(List<JobRecord> active, Dictionary<Guid, PlannedClient> clients)
    {
        var count = 0;
        foreach (var job in active.Where(j => j.Status == JobStatus.Running))
        {
            var since = job.StartedAt ?? job.QueuedAt;
            if (clients.TryGetValue(job.ClientId, out var client) && !client.BackupRunning && client.Last.At(TypeOf(job)) > since)
            {
                outcomes.Finish(job, JobStatus.Done, "completed (found in the backup catalog; the agent's report did not arrive)");
                count++;
            }
            else if (clock.Now - since > options.Value.JobTimeout)
            {
                outcomes.Finish(job, JobStatus.Failed, $"no outcome from the agent within {options.Value.JobTimeout}");
                count++;
            }
        }
        return count;
    }

    /// <summary>
    /// Queued jobs of deleted clients, or that are no longer due (a backup ran meanwhile, the window
    /// closed, the settings changed). A job is checked against its own side's schedule: an image
    /// job waiting for an offline client stays when a file backup becomes due meanwhile.
    /// </summary>
    private int DropStale(List<JobRecord> active, Dictionary<Guid, PlannedClient> clients)
    {
        var count = 0;
        foreach (var job in active.Where(j => j.Status == JobStatus.Queued))
        {
            string? why = null;
            if (!clients.TryGetValue(job.ClientId, out var client))
            {
                why = "the client was deleted";
            }
            else if (Decide(client, TypeOf(job).Side()) is { } decision && KindOf(decision.Kind) != job.Kind)
            {
                why = $"no longer due: {decision.Reason}";
            }
            if (why is not null)
            {
                outcomes.Finish(job, JobStatus.Cancelled, why);
                count++;
            }
        }
        return count;
    }

    private int QueueDue(List<JobRecord> active, IReadOnlyList<PlannedClient> clients)
    {
        var busy = active.Where(j => j.IsActive).Select(j => j.ClientId).ToHashSet();
        var count = 0;
        foreach (var client in clients.Where(c => !busy.Contains(c.ClientId)))
        {
            if (client.BackupRunning)
            {
                LogSkipped(client.Name, client.ClientId, "a backup of this client is running");
                continue;
            }
            if (Decide(client) is not { } decision) continue;
            if (!decision.IsDue)
            {
                LogSkipped(client.Name, client.ClientId, decision.Reason);
                continue;
            }
            var job = new JobRecord
            {
                Id = Guid.CreateVersion7(clock.Now),
                TenantId = client.TenantId,
                ClientId = client.ClientId,
                Kind = KindOf(decision.Kind),
                Status = JobStatus.Queued,
                Reason = decision.Reason,
                QueuedAt = clock.Now,
            };
            db.Jobs.Add(job);
            active.Add(job);
            LogQueued(decision.Kind, client.Name, client.ClientId, decision.Reason);
            count++;
        }
        return count;
    }

    /// <summary>Starts queued jobs, oldest first, on agents that hold a control stream, while slots are free.</summary>
    private async Task<int> StartQueuedAsync(List<JobRecord> active, int maxRunning, CancellationToken cancellationToken)
    {
        var slots = maxRunning - active.Count(j => j.Status == JobStatus.Running);
        var started = 0;
        foreach (var job in active.Where(j => j.Status == JobStatus.Queued).ToList())
        {
            if (slots <= 0)
            {
                break;
            }
            if (!await commands.IsConnectedAsync(job.ClientId))
            {
                continue;
            }
            string commandId;
            try
            {
                commandId = await commands.SendAsync(job.ClientId, new ServerCommand { StartBackup = new StartBackupCommand { Kind = (BackupKind)job.Kind } });
            }
            catch (FailedPreconditionException)
            {
                // Disconnected between the check and the send: it stays queued for its next connection.
                continue;
            }
            job.Status = JobStatus.Running;
            job.CommandId = commandId;
            job.StartedAt = clock.Now;
            // Saved at once: a crash after this point must not send the same backup twice.
            await db.SaveChangesAsync(cancellationToken);
            metrics.JobsStarted.Add(1, new KeyValuePair<string, object?>("kind", TypeOf(job).Describe().Replace(' ', '_')));
            LogStarted(job.Id, job.ClientId, commandId);
            slots--;
            started++;
        }
        return started;
    }

    /// <summary>The client's next backup, or with <paramref name="side"/> its next backup of that side (nothing due when it has no schedule for it).</summary>
    private DueDecision? Decide(PlannedClient client, BackupSide? side = null)
    {
        try
        {
            var schedule = ClientSchedule.From(client.Settings);
            if (side is not { } only)
            {
                return DuePlanner.Decide(schedule, client.Last, clock.Now, clock.Zone);
            }
            return schedule.Of(only) is { } ofSide
                ? DuePlanner.Decide(ofSide, client.Last.Of(only), clock.Now, clock.Zone)
                : new DueDecision(null, $"the client has no {only.ToString().ToLowerInvariant()} backups (image_volumes is empty)");
        }
        catch (InvalidInputException e)
        {
            // Stored settings were valid when written; a rule that changed since is the operator's to fix.
            LogBadSettings(client.Name, client.ClientId, e.Message);
            return null;
        }
    }

    private static int KindOf(BackupType? type) => type is { } due ? (int)due.ToBackupKind() : 0;

    private static BackupType TypeOf(JobRecord job) => ((BackupKind)job.Kind).ToBackupType();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientName} ({ClientId}): no backup started: {Reason}")]
    private partial void LogSkipped(string clientName, Guid clientId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientName} ({ClientId}) is not scheduled: {Reason}")]
    private partial void LogBadSettings(string clientName, Guid clientId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued a {Kind} backup of client {ClientName} ({ClientId}): {Reason}")]
    private partial void LogQueued(BackupType? kind, string clientName, Guid clientId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: started the backup on client {ClientId} (command {CommandId})")]
    private partial void LogStarted(Guid jobId, Guid clientId, string commandId);
}
