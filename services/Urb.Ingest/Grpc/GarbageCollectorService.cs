using Grpc.Core;
using Urb.Contracts.Ingest.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Collector = Urb.Ingest.Garbage.GarbageCollector;

namespace Urb.Ingest.Grpc;

/// <summary>Internal: <c>urb.ingest.v1.GarbageCollector</c> (see gc.proto), called by Urb.Scheduler in the cleanup window.</summary>
public sealed class GarbageCollectorService(Collector collector) : Contracts.Ingest.V1.GarbageCollector.GarbageCollectorBase
{
    public override Task<CollectGarbageReport> CollectGarbage(CollectGarbageRequest request, ServerCallContext context)
    {
        var tenant = RequestId.ParseOptional(request.TenantId, "tenant_id");
        TimeSpan? grace = null;
        if (request.Grace is { } given)
        {
            grace = given.Seconds < 0 || given.Nanos < 0
                ? throw new InvalidInputException("grace", "A grace is not negative.")
                : given.ToTimeSpan();
        }
        return collector.CollectAsync(tenant, grace, context.CancellationToken);
    }
}
