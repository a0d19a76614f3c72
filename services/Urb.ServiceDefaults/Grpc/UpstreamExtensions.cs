using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Urb.ServiceDefaults.Grpc;

public static class UpstreamExtensions
{
    public const string SectionName = "Upstreams";

    /// <summary>
    /// A typed gRPC client for another Urb service, at <c>Upstreams:{name}</c>
    /// (e.g. <c>http://urb-api:5001</c>). A missing address is a one-line configuration error.
    /// </summary>
    public static IHttpClientBuilder AddUrbGrpcClient<TClient>(this IHostApplicationBuilder builder, string name) where TClient : class
    {
        builder.Services.AddOptions<UpstreamAddress>(name)
            .Configure<IConfiguration>((o, config) => o.Address = config[$"{SectionName}:{name}"])
            .Validate(o => Uri.TryCreate(o.Address, UriKind.Absolute, out _),
                $"{SectionName}:{name} is not set to the service's address (environment variable {SectionName}__{name}, e.g. http://host:port of that service's gRPC port)")
            .ValidateOnStart();

        return builder.Services
            .AddGrpcClient<TClient>((sp, o) =>
                o.Address = new Uri(sp.GetRequiredService<IOptionsMonitor<UpstreamAddress>>().Get(name).Address!))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                // Chunks stream through these calls: start with a window that fits several.
                InitialHttp2StreamWindowSize = 8 * 1024 * 1024,
            })
            .ConfigureChannel(o => o.MaxReceiveMessageSize = 16 * 1024 * 1024);
    }
}

/// <summary>The address of another Urb service's gRPC port.</summary>
public sealed class UpstreamAddress
{
    public string? Address { get; set; }
}
