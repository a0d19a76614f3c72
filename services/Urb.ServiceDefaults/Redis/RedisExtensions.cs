using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Urb.ServiceDefaults.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// One <see cref="IConnectionMultiplexer"/> for the whole process (it multiplexes and
    /// reconnects by itself), from <c>ConnectionStrings:redis</c>, with a readiness check and the live log publisher (<see cref="LiveLogging.LiveLog"/>).
    /// A Redis that is down at start is not fatal: the multiplexer keeps retrying.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="cacheOnly">
    /// Redis is only a cache for this service (every answer is right without it, only slower):
    /// an unreachable Redis makes the service Degraded, not unready, so an orchestrator keeps
    /// it in service during a Redis outage.
    /// </param>
    public static IHostApplicationBuilder AddUrbRedis(this IHostApplicationBuilder builder, bool cacheOnly = false)
    {
        builder.Services.AddOptions<RedisOptions>()
            .Configure<IConfiguration>((o, config) => o.Configuration = config.GetConnectionString("redis"))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Configuration),
                "ConnectionStrings:redis is not set (environment variable ConnectionStrings__redis, e.g. 127.0.0.1:6379,password=...)")
            .ValidateOnStart();

        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!);
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 5_000;
            options.ClientName = sp.GetRequiredService<IHostEnvironment>().ApplicationName;
            return ConnectionMultiplexer.Connect(options);
        });
        builder.Services.AddSingleton<LiveLogging.LiveLog>();
        builder.Services.AddHealthChecks().AddCheck<RedisReadyCheck>("redis",
            failureStatus: cacheOnly ? HealthStatus.Degraded : HealthStatus.Unhealthy, tags: [HealthTags.Ready]);
        return builder;
    }
}

/// <summary>The Redis connection, from <c>ConnectionStrings:redis</c> (StackExchange.Redis configuration string).</summary>
public sealed class RedisOptions
{
    public string? Configuration { get; set; }
}
