using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Urb.DedupIndex.Cache;

/// <summary>
/// Redis is only a cache here: without it every answer is still right, just slower. So its
/// check must not take the index out of service (a Kubernetes readiness failure would stop all
/// backups for the length of a Redis outage); it reports Degraded instead, which keeps
/// <c>/health/ready</c> at 200 and still shows the reason in the response.
/// </summary>
internal static class CacheHealth
{
    private const string RedisCheckName = "redis";

    public static void KeepReadyWithoutRedis(this IServiceCollection services) =>
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            // The end-to-end tests prove the index stays ready with Redis stopped, so a renamed
            // check cannot slip through unnoticed.
            if (o.Registrations.FirstOrDefault(r => r.Name == RedisCheckName) is not { } redis) return;
            var inner = redis.Factory;
            redis.Factory = sp => new DegradedWhenUnhealthy(inner(sp));
        });

    private sealed class DegradedWhenUnhealthy(IHealthCheck inner) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var result = await inner.CheckHealthAsync(context, cancellationToken);
            return result.Status == HealthStatus.Unhealthy
                ? HealthCheckResult.Degraded($"{result.Description} (cache only: answering from PostgreSQL)")
                : result;
        }
    }
}
