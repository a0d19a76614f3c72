using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Urb.AgentGateway.Options;
using Urb.Domain.Throttling;

namespace Urb.AgentGateway.Connections;

/// <summary>
/// Limits new connections on the agent port per remote address (<see cref="GatewayOptions.MaxConnectionsPerMinutePerAddress"/>).
/// It runs before the TLS handshake, so a flood from one address costs an accept and a close
/// instead of a handshake each. Counted in this process only: a connection is refused where it
/// lands, without a round trip to Redis; with N replicas behind a balancer an address gets up to N
/// times the limit.
/// </summary>
public sealed partial class ConnectionRateLimit(IOptions<GatewayOptions> options, TimeProvider time, ILogger<ConnectionRateLimit> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Made at the first connection: the options are validated only when the service starts, and
    // Kestrel's endpoints are built also for one-shot commands such as init-pki.
    private readonly Lazy<SlidingWindowLimiter?> limiter = new(() =>
        options.Value.MaxConnectionsPerMinutePerAddress is > 0 and var limit ? new SlidingWindowLimiter(limit, Window, time) : null);

    /// <summary>True when a new connection from <paramref name="remote"/> may go on to the handshake.</summary>
    public bool Admit(EndPoint? remote)
    {
        if (limiter.Value is not { } counts || remote is not IPEndPoint ip) return true;
        var key = AddressKey.For(ip.Address);
        if (counts.TryAcquire(key, out var firstRefusal)) return true;
        if (firstRefusal) LogRefused(logger, key, options.Value.MaxConnectionsPerMinutePerAddress);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Connections from {Address} refused on the agent port: more than {Limit} new connections a minute (Gateway:MaxConnectionsPerMinutePerAddress); logged once a minute")]
    private static partial void LogRefused(ILogger logger, string address, int limit);
}

internal static class ConnectionRateLimitExtensions
{
    /// <summary>Adds the limit to an endpoint; call before UseHttps, so it runs before the handshake.</summary>
    public static void UseConnectionRateLimit(this ListenOptions endpoint, ConnectionRateLimit limit) =>
        endpoint.Use(next => connection =>
        {
            if (limit.Admit(connection.RemoteEndPoint)) return next(connection);
            // Returning without calling on closes the connection: no handshake, nothing read.
            return Task.CompletedTask;
        });
}
