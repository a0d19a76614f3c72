using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Urb.ServiceDefaults.Data;

/// <summary>Readiness: the service's schema is reachable and migrated.</summary>
internal sealed class DatabaseReadyCheck<TContext>(DatabaseStatus<TContext> status) : IHealthCheck where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (ready, reason) = await status.CheckAsync(cancellationToken);
        // No exception object: a failing probe is an expected state, not a crash to trace.
        return ready ? HealthCheckResult.Healthy(reason) : HealthCheckResult.Unhealthy(reason);
    }
}
