using Microsoft.EntityFrameworkCore;
using Urb.Contracts.Agent.V1;
using Urb.Scheduler.Data;

namespace Urb.Scheduler.Dispatch;

/// <summary>
/// Ends jobs: a running job with what its agent reported about the command that started it, and
/// (through <see cref="Finish"/>) the jobs the dispatch cycle settles itself, so every ending is
/// counted and logged the same way.
/// </summary>
public sealed partial class JobOutcomes(SchedulerDbContext db, SchedulerClock clock, SchedulerMetrics metrics, ILogger<JobOutcomes> logger)
{
    /// <summary>False when no running job of that client has the command (a backup started through the API, or a job already settled).</summary>
    public async Task<bool> ApplyAsync(Guid clientId, CommandOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.CommandId.Length == 0) return false;
        var job = await db.Jobs.SingleOrDefaultAsync(
            j => j.CommandId == outcome.CommandId && j.ClientId == clientId && j.Status == JobStatus.Running, cancellationToken);
        if (job is null) return false;
        job.BackupId = Guid.TryParse(outcome.BackupId, out var backupId) ? backupId : null;
        Finish(job, outcome.Succeeded ? JobStatus.Done : JobStatus.Failed,
            outcome.Message.Length > 0 ? outcome.Message : (outcome.Succeeded ? "completed" : "failed without a reason"));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Ends the job with <paramref name="status"/> and <paramref name="outcome"/>; the caller saves.</summary>
    public void Finish(JobRecord job, string status, string outcome)
    {
        job.Status = status;
        job.Outcome = outcome;
        job.FinishedAt = clock.Now;
        metrics.Ended(status);
        LogFinished(job.Id, job.ClientId, status, outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} of client {ClientId} {Status}: {Outcome}")]
    private partial void LogFinished(Guid jobId, Guid clientId, string status, string outcome);
}
