using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Urb.ServiceDefaults.Grpc;

public static class UpstreamExtensions
{
    public const string SectionName = "Upstreams";

    /// <summary>How often a <c>dns:///</c> upstream's name is resolved again, to find new replicas.</summary>
    public static readonly TimeSpan DnsRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A typed gRPC client for another Urb service, at <c>Upstreams:{name}</c>
    /// (e.g. <c>http://urb-api:5001</c>). A missing address is a one-line configuration error.
    /// An address <c>dns:///host:port</c> balances on the client: the name is resolved to all its
    /// addresses (a headless Kubernetes Service names every ready pod), again every
    /// <see cref="DnsRefreshInterval"/>, and calls go round robin over connections to each.
    /// </summary>
    public static IHttpClientBuilder AddUrbGrpcClient<TClient>(this IHostApplicationBuilder builder, string name) where TClient : class
    {
        builder.Services.AddOptions<UpstreamAddress>(name)
            .Configure<IConfiguration>((o, config) => o.Address = config[$"{SectionName}:{name}"])
            .Validate(o => Uri.TryCreate(o.Address, UriKind.Absolute, out _),
                $"{SectionName}:{name} is not set to the service's address (environment variable {SectionName}__{name}, e.g. http://host:port of that service's gRPC port)")
            .ValidateOnStart();

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ResolverFactory>(new DnsResolverFactory(DnsRefreshInterval)));

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
            .ConfigureChannel((sp, o) =>
            {
                o.MaxReceiveMessageSize = 16 * 1024 * 1024;
                if (sp.GetRequiredService<IOptionsMonitor<UpstreamAddress>>().Get(name).Address!.StartsWith("dns:", StringComparison.OrdinalIgnoreCase))
                {
                    // Plaintext HTTP/2 as with http://; a dns: address does not say so itself.
                    o.Credentials = ChannelCredentials.Insecure;
                    o.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
                }
            });
    }
}

/// <summary>The address of another Urb service's gRPC port.</summary>
public sealed class UpstreamAddress
{
    public string? Address { get; set; }
}
