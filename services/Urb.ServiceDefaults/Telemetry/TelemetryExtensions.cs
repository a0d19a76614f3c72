using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Urb.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Meters and activity sources of Urb's own code are all named "Urb.*".</summary>
    public const string UrbInstrumentationPrefix = "Urb.*";

    /// <summary>Where Prometheus scrapes the metrics, on the service's HTTP port like the health probes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry. They are exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables apply); metrics
    /// can also be scraped by Prometheus at <c>/metrics</c> (see <see cref="MetricsPath"/>).
    /// </summary>
    public static void AddUrbTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(UrbInstrumentationPrefix)
                .AddPrometheusExporter())
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = IsNotHealthProbe)
                // One span per outgoing gRPC call, not a second one for its HTTP/2 request; the
                // trace context still goes along (the trace test shows it).
                .AddGrpcClientInstrumentation(o => o.SuppressDownstreamInstrumentation = true)
                .AddHttpClientInstrumentation()
                .AddSource(UrbInstrumentationPrefix));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    private static bool IsNotHealthProbe(HttpContext context) => !context.Request.Path.StartsWithSegments("/health");
}
