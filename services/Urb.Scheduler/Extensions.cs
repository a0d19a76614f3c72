using Urb.Contracts.Directory.V1;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Scheduler.Cleanup;
using Urb.Scheduler.Data;
using Urb.Scheduler.Dispatch;
using Urb.ServiceDefaults.Agents;
using Urb.ServiceDefaults.Data;
using Urb.ServiceDefaults.Grpc;
using Urb.ServiceDefaults.Redis;

namespace Urb.Scheduler;

public static class Extensions
{
    /// <summary>Everything the scheduler runs on; public so tests can build the same graph around a fake clock.</summary>
    public static void AddSchedulerServices(this IHostApplicationBuilder builder)
    {
        builder.AddUrbPostgres<SchedulerDbContext>(SchedulerDbContext.Schema);
        builder.AddUrbRedis();
        builder.AddUrbGrpcClient<ClientDirectory.ClientDirectoryClient>("ApiDirectory");
        builder.AddUrbGrpcClient<BackupCatalog.BackupCatalogClient>("Ingest");
        builder.AddUrbGrpcClient<GarbageCollector.GarbageCollectorClient>("Ingest");
        builder.AddUrbGrpcClient<DedupIndex.DedupIndexClient>("DedupIndex");

        builder.Services.AddOptions<SchedulerOptions>()
            .BindConfiguration(SchedulerOptions.SectionName)
            .Validate(o => o.JobTimeout > TimeSpan.Zero, $"{SchedulerOptions.SectionName}:JobTimeout must be positive")
            .Validate(o => string.IsNullOrWhiteSpace(o.TimeZone) || TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _),
                $"{SchedulerOptions.SectionName}:TimeZone is not a time zone this system knows (an IANA id like Europe/Berlin)")
            .ValidateOnStart();

        builder.Services.AddSingleton<SchedulerClock>();
        builder.Services.AddSingleton<SchedulerMetrics>();
        builder.Services.AddSingleton<AgentCommandBus>();
        builder.Services.AddScoped<TickPlanningInputs>();
        builder.Services.AddScoped<DispatchCycle>();
        builder.Services.AddScoped<JobOutcomes>();
        builder.Services.AddScoped<NightlyCleanup>();
        builder.Services.AddScoped<Usage.UsageRecorder>();
    }

    /// <summary>The background work of a running scheduler (not of a test's hand-driven one).</summary>
    public static void AddSchedulerLoops(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<SchedulerLoop>();
        builder.Services.AddHostedService<OutcomeListener>();
        builder.Services.AddHostedService<QueueGauge>();
    }
}
