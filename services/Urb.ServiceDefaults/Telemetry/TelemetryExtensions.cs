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

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry. They are exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables apply).
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
                .AddMeter(UrbInstrumentationPrefix))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = IsNotHealthProbe)
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource(UrbInstrumentationPrefix));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    private static bool IsNotHealthProbe(HttpContext context) => !context.Request.Path.StartsWithSegments("/health");
}
