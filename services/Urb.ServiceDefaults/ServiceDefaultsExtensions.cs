using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Urb.ServiceDefaults.Data;
using Urb.ServiceDefaults.Grpc;
using Urb.ServiceDefaults.Hosting;
using Urb.ServiceDefaults.Telemetry;

namespace Urb.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every Urb service has: Kestrel endpoints from <c>Urb:Listen</c>, one-line console
    /// logs, OpenTelemetry, gRPC with the error mapping, gRPC health and reflection, health
    /// checks, a <see cref="TimeProvider"/>, and the <c>migrate</c> command.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.ConfigureUrbKestrel();
        builder.ConfigureUrbLogging();
        builder.AddUrbTelemetry();

        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.EnableDetailedErrors = builder.Environment.IsDevelopment();
            o.MaxReceiveMessageSize = 16 * 1024 * 1024;
        });
        ValidatingServiceMethodProvider<object>.ReplaceDefault(builder.Services);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: [HealthTags.Live]);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IServiceCommand, MigrateCommand>();
        return builder;
    }

    /// <summary>
    /// HTTP <c>/health/live</c> and <c>/health/ready</c> (in every environment), the gRPC
    /// health service (reporting readiness) and gRPC reflection.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Live) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(HealthTags.Ready) || c.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthResponse.WriteAsync,
        });
        app.MapPrometheusScrapingEndpoint(Telemetry.TelemetryExtensions.MetricsPath);
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    private static void ConfigureUrbLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        // Framework chatter stays out of the log; failures that matter are logged by Urb's
        // own code (the error interceptor, the database monitor) in one line each.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Query", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Update", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
    }
}
