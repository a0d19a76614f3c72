using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Urb.ServiceDefaults.Redis;

/// <summary>Readiness: Redis answers a PING.</summary>
internal sealed class RedisReadyCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis is unreachable: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
