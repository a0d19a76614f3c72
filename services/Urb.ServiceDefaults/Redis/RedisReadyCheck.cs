using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Urb.ServiceDefaults.Redis;

/// <summary>Readiness: Redis answers a PING.</summary>
internal sealed class RedisReadyCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // While disconnected the multiplexer queues commands until they time out; a probe must
        // answer at once instead.
        if (!redis.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable (not connected; reconnecting)");
        }
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(PingTimeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis is unreachable: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
