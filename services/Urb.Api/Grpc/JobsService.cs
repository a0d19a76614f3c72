using Grpc.Core;
using Urb.Api.Auth;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Scheduler.V1;
using SchedulerJobs = Urb.Contracts.Scheduler.V1.Jobs.JobsClient;

namespace Urb.Api.Grpc;

/// <summary>
/// The scheduler's jobs for portals. The key's tenant bounds the question asked of Urb.Scheduler:
/// a tenant key asks for its tenant only, a global admin for everything (or one client).
/// </summary>
public sealed class JobsService(ReadableClients readable, SchedulerJobs scheduler) : Contracts.Api.V1.Jobs.JobsBase
{
    public override async Task<ListJobsResponse> ListJobs(ListClientJobsRequest request, ServerCallContext context)
    {
        var upstream = new ListJobsRequest { ActiveOnly = request.ActiveOnly, Limit = request.Limit };
        if (request.ClientId.Length > 0)
        {
            var client = await readable.FindAsync(request.ClientId, "client_id", context);
            upstream.TenantId = client.TenantId.ToString();
            upstream.ClientId = client.Id.ToString();
        }
        else if (context.Caller() is { IsGlobalAdmin: false } caller)
        {
            upstream.TenantId = caller.TenantId!.Value.ToString();
        }
        return await scheduler.ListJobsAsync(upstream, cancellationToken: context.CancellationToken);
    }
}
