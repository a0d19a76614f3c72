using Microsoft.EntityFrameworkCore;
using Urb.Contracts.Agent.V1;
using Urb.Scheduler.Data;

namespace Urb.Scheduler.Dispatch;

/// <summary>Ends a running job with what its agent reported about the command that started it.</summary>
public sealed partial class JobOutcomes(SchedulerDbContext db, SchedulerClock clock, SchedulerMetrics metrics, ILogger<JobOutcomes> logger)
{
    /// <summary>False when no running job of that client has the command (a backup started through the API, or a job already settled).</summary>
    public async Task<bool> ApplyAsync(Guid clientId, CommandOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.CommandId.Length == 0) return false;
        var job = await db.Jobs.SingleOrDefaultAsync(
            j => j.CommandId == outcome.CommandId && j.ClientId == clientId && j.Status == JobStatus.Running, cancellationToken);
        if (job is null) return false;
        job.Status = outcome.Succeeded ? JobStatus.Done : JobStatus.Failed;
        job.Outcome = outcome.Message.Length > 0 ? outcome.Message : (outcome.Succeeded ? "completed" : "failed without a reason");
        job.BackupId = Guid.TryParse(outcome.BackupId, out var backupId) ? backupId : null;
        job.FinishedAt = clock.Now;
        await db.SaveChangesAsync(cancellationToken);
        metrics.Ended(job.Status);
        LogFinished(job.Id, clientId, job.Status, job.Outcome);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} of client {ClientId} {Status}: {Outcome}")]
    private partial void LogFinished(Guid jobId, Guid clientId, string status, string outcome);
}
