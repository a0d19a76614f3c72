using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;
using Urb.Contracts.Scheduler.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Urb.Domain.Retention;
using Urb.Scheduler.Data;
using JobStatus = Urb.Scheduler.Data.JobStatus;

namespace Urb.Scheduler.Grpc;

/// <summary>The jobs for Urb.Api (which authorises portals); internal, it trusts its callers.</summary>
public sealed class JobsService(SchedulerDbContext db) : Jobs.JobsBase
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public override async Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context)
    {
        var limit = request.Limit switch
        {
            0 => DefaultLimit,
            < 0 or > MaxLimit => throw new InvalidInputException("limit", $"limit is 1–{MaxLimit}, or 0 for {DefaultLimit}."),
            var n => n,
        };
        var jobs = db.Jobs.AsNoTracking();
        if (request.TenantId.Length > 0)
        {
            var tenantId = RequestId.Parse(request.TenantId, "tenant_id");
            jobs = jobs.Where(j => j.TenantId == tenantId);
        }
        if (request.ClientId.Length > 0)
        {
            var clientId = RequestId.Parse(request.ClientId, "client_id");
            jobs = jobs.Where(j => j.ClientId == clientId);
        }
        if (request.ActiveOnly)
        {
            jobs = jobs.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running);
        }
        var page = await jobs.OrderByDescending(j => j.QueuedAt).ThenByDescending(j => j.Id).Take(limit).ToListAsync(context.CancellationToken);

        // Queue positions count every queued job, not only the ones this caller sees.
        var queue = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Queued)
            .OrderBy(j => j.QueuedAt).ThenBy(j => j.Id).Select(j => j.Id).ToListAsync(context.CancellationToken);
        var positions = queue.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i + 1);
        return new ListJobsResponse { Jobs = { page.Select(j => ToMessage(j, positions.GetValueOrDefault(j.Id))) } };
    }

    public static Job ToMessage(JobRecord job, int queuePosition) => new()
    {
        JobId = job.Id.ToString(),
        TenantId = job.TenantId.ToString(),
        ClientId = job.ClientId.ToString(),
        Kind = ((BackupKind)job.Kind).ToBackupType() switch
        {
            BackupType.FullFile => JobKind.FullFile,
            BackupType.IncrementalImage => JobKind.IncrementalImage,
            BackupType.FullImage => JobKind.FullImage,
            _ => JobKind.IncrementalFile,
        },
        Status = job.Status switch
        {
            JobStatus.Queued => Contracts.Scheduler.V1.JobStatus.Queued,
            JobStatus.Running => Contracts.Scheduler.V1.JobStatus.Running,
            JobStatus.Done => Contracts.Scheduler.V1.JobStatus.Done,
            JobStatus.Failed => Contracts.Scheduler.V1.JobStatus.Failed,
            _ => Contracts.Scheduler.V1.JobStatus.Cancelled,
        },
        Reason = job.Reason,
        Outcome = job.Outcome ?? "",
        CommandId = job.CommandId ?? "",
        BackupId = job.BackupId?.ToString() ?? "",
        QueuedAt = Timestamp.FromDateTimeOffset(job.QueuedAt),
        StartedAt = job.StartedAt is { } started ? Timestamp.FromDateTimeOffset(started) : null,
        FinishedAt = job.FinishedAt is { } finished ? Timestamp.FromDateTimeOffset(finished) : null,
        QueuePosition = queuePosition,
    };
}
