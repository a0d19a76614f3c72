namespace Urb.ServiceDefaults.Hosting;

/// <summary>
/// Where a service listens (section <c>Urb:Listen</c>). gRPC is served as HTTP/2 without TLS
/// on its own port (service to service, inside the cluster network); health probes and other
/// HTTP/1.1 endpoints on a second port, because plaintext HTTP/2 needs prior knowledge and
/// probes speak HTTP/1.1.
/// </summary>
public sealed class UrbListenOptions
{
    public const string SectionName = "Urb:Listen";

    /// <summary>The address to bind. Default 127.0.0.1; containers set 0.0.0.0.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Plaintext HTTP/2 port for gRPC. Default 5000.</summary>
    public int GrpcPort { get; set; } = 5000;

    /// <summary>HTTP/1.1 port for /health/live, /health/ready. Default 8080.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>
    /// Plaintext HTTP/2 port for service-to-service gRPC that must never be reachable from
    /// outside (Urb.Api's client directory). 0 = none. Default 0.
    /// </summary>
    public int InternalGrpcPort { get; set; }

    public static UrbListenOptions From(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        Microsoft.Extensions.Configuration.ConfigurationBinder.Get<UrbListenOptions>(configuration.GetSection(SectionName)) ?? new();
}
