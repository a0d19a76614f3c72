using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Urb.Scheduler;
using Urb.Scheduler.Cleanup;
using Urb.Scheduler.Data;
using Urb.Scheduler.Dispatch;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Urb.Scheduler's own service graph, in the test process, on the stack's PostgreSQL, Redis, API
/// and ingest, with a fake clock the test moves: each <see cref="TickAsync"/> is one dispatch tick at
/// the clock's time. Agents' reports arrive through the real outcome listener. Time zone: UTC.
/// </summary>
public sealed class SchedulerHarness : IAsyncDisposable
{
    private readonly IHost host;

    private SchedulerHarness(IHost host, FakeTimeProvider clock, CapturedLogs logs)
    {
        this.host = host;
        Clock = clock;
        Logs = logs;
    }

    public FakeTimeProvider Clock { get; }

    public CapturedLogs Logs { get; }

    public static async Task<SchedulerHarness> StartAsync(UrbStack stack, DateTimeOffset start, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var clock = new FakeTimeProvider(start);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(stack.EnvironmentFor(UrbStack.Scheduler, overrides: overrides)
            .Where(e => e.Value is not null)
            .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)));
        builder.Configuration["Scheduler:TimeZone"] = "UTC";
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Warning).AddFilter("Urb", LogLevel.Debug);
        builder.Services.AddMetrics();
        builder.AddSchedulerServices();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddHostedService<OutcomeListener>();
        var host = builder.Build();
        await host.StartAsync();
        return new SchedulerHarness(host, clock, logs);
    }

    public async Task<DispatchReport> TickAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DispatchCycle>().RunOnceAsync(CancellationToken.None);
    }

    /// <summary>The planning inputs asked for twice within one tick's scope, as its dispatch and its cleanup ask.</summary>
    public async Task<(PlanningInputs First, PlanningInputs Again)> PlanningInputsTwiceInOneTickAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var planning = scope.ServiceProvider.GetRequiredService<TickPlanningInputs>();
        return (await planning.GetAsync(CancellationToken.None), await planning.GetAsync(CancellationToken.None));
    }

    public async Task<CleanupRunRecord?> CleanupIfDueAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NightlyCleanup>().RunIfDueAsync(CancellationToken.None);
    }

    public async Task<CleanupRunRecord> CleanupAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NightlyCleanup>().RunAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
