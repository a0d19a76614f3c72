using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Urb.AgentGateway.Options;
using Urb.Domain.Errors;

namespace Urb.AgentGateway.Enrollment;

/// <summary>
/// Slows down guessing of enrolment tokens: failed attempts are counted per remote address in
/// Redis (shared by all gateway replicas). When Redis is unreachable the throttle lets calls
/// through: the tokens' 256-bit secrets are the real defence, the throttle only saves work.
/// </summary>
public sealed partial class EnrollmentThrottle(IConnectionMultiplexer redis, IOptions<GatewayOptions> options, ILogger<EnrollmentThrottle> logger)
{
    private static RedisKey KeyFor(string address) => $"urb:gateway:enroll-failures:{address}";

    public async Task EnsureAllowedAsync(string address)
    {
        try
        {
            var failures = (long?)await redis.GetDatabase().StringGetAsync(KeyFor(address)) ?? 0;
            if (failures >= options.Value.MaxEnrollmentFailures)
            {
                throw new ResourceExhaustedException(
                    $"Too many failed enrolments from {address}; try again in {options.Value.EnrollmentFailureWindow.TotalMinutes:0} minutes.");
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, e.Message);
        }
    }

    public async Task RecordFailureAsync(string address)
    {
        try
        {
            var db = redis.GetDatabase();
            var key = KeyFor(address);
            await db.StringIncrementAsync(key);
            // Set on every failure (only where none is set), so a lost expiry can never block an address for good.
            await db.KeyExpireAsync(key, options.Value.EnrollmentFailureWindow, ExpireWhen.HasNoExpiry);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enrolment throttle skipped, Redis unavailable: {Reason}")]
    private static partial void LogRedisUnavailable(ILogger logger, string reason);
}
