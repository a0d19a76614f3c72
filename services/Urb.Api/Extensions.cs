using Grpc.AspNetCore.Server;
using Urb.ServiceDefaults.Redis;
using Urb.Api.Auth;
using Urb.Api.Commands;
using Urb.Api.Data;
using Urb.Api.Enrollment;
using Urb.Api.Grpc;
using Urb.Api.Installers;
using Urb.Api.Options;
using Urb.Api.Rest;
using Urb.Api.Settings;
using Urb.Contracts.Ingest.V1;
using Urb.ServiceDefaults.Data;
using Urb.ServiceDefaults.Grpc;
using Urb.ServiceDefaults.Hosting;

namespace Urb.Api;

internal static class Extensions
{
    private const string DefaultInternalGrpcPort = "5001";

    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddUrbPostgres<ApiDbContext>(ApiDbContext.Schema);
        // To announce cut-off agents to the gateways, and to read activities and the live log:
        // the API's other calls answer without Redis.
        builder.AddUrbRedis(cacheOnly: true);

        builder.Services.AddOptions<EnrollmentOptions>()
            .BindConfiguration(EnrollmentOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ServerAddress) && Uri.TryCreate(o.ServerAddress, UriKind.Absolute, out var u) && u.Scheme == "https",
                $"{EnrollmentOptions.SectionName}:ServerAddress must be the gateway's https:// address for agents")
            .Validate(o => o.TokenLifetime >= TimeSpan.FromSeconds(1) && o.TokenLifetime <= o.MaxTokenLifetime,
                $"{EnrollmentOptions.SectionName}:TokenLifetime must be between 1 second and MaxTokenLifetime")
            .Validate(o => File.Exists(o.CaCertificatePath),
                $"{EnrollmentOptions.SectionName}:CaCertificatePath must name the installation CA's certificate file (PEM)")
            .ValidateOnStart();

        builder.Services.AddSingleton<CaPinProvider>();
        builder.Services.AddScoped<EnrollmentTokenIssuer>();
        builder.Services.AddScoped<EnrollmentTokenRedeemer>();
        builder.Services.AddScoped<ApiKeyAuthenticator>();
        builder.Services.AddScoped<ApiKeyIssuer>();
        builder.Services.AddScoped<ReadableClients>();
        builder.Services.AddScoped<Activities.ActivityScopes>();
        builder.Services.AddSingleton<Activities.ActivityBoard>();
        builder.Services.AddScoped<LiveLog.LogRequests>();
        builder.Services.AddSingleton<ServiceDefaults.LiveLogging.LiveLogReader>();
        builder.Services.AddSingleton<AgentCutOffAnnouncer>();
        builder.Services.AddSingleton<Urb.ServiceDefaults.Agents.AgentCommandBus>();
        builder.Services.AddSingleton<Urb.ServiceDefaults.Agents.BackupPauses>();
        builder.Services.AddSingleton<SettingsChangeAnnouncer>();
        builder.Services.AddScoped<SettingsStore>();
        builder.Services.AddOptions<InstallerOptions>().BindConfiguration(InstallerOptions.SectionName);
        builder.Services.AddSingleton<InstallerBuilder>();
        builder.Services.AddScoped<ClientInstallers>();
        builder.AddUrbGrpcClient<Ingest.IngestClient>("Ingest");
        builder.AddUrbGrpcClient<Urb.Contracts.Scheduler.V1.Jobs.JobsClient>("Scheduler");
        builder.AddUrbGrpcClient<Urb.Contracts.Scheduler.V1.UsageHistory.UsageHistoryClient>("Scheduler");
        // Stored and plain bytes per client, for usage statistics.
        builder.AddUrbGrpcClient<Urb.Contracts.Index.V1.DedupIndex.DedupIndexClient>("DedupIndex");
        // Archive and delete on a portal's behalf: Ingest's catalog, at the same address.
        builder.AddUrbGrpcClient<BackupCatalog.BackupCatalogClient>("Ingest");
        builder.Services.AddSingleton<IServiceCommand, CreateAdminKeyCommand>();
        builder.Services.AddPortalOpenApi();

        // The client directory is served only on the internal port; 5001 unless configured.
        builder.Configuration[$"{UrbListenOptions.SectionName}:{nameof(UrbListenOptions.InternalGrpcPort)}"] ??= DefaultInternalGrpcPort;
        var listen = UrbListenOptions.From(builder.Configuration);
        // The port check runs first: a call on the wrong port costs no key lookup.
        builder.Services.AddUrbGrpc()
            .AddJsonTranscoding(PortalOpenApi.ConfigureTranscoding)
            .ServePortalApi<ClientsService>(listen)
            .ServePortalApi<TenantsService>(listen)
            .ServePortalApi<ApiKeysService>(listen)
            .ServePortalApi<SnapshotsService>(listen)
            .ServePortalApi<SettingsService>(listen)
            .ServePortalApi<JobsService>(listen)
            .ServePortalApi<Activities.ActivitiesService>(listen)
            .ServePortalApi<Usage.UsageService>(listen)
            .ServePortalApi<LiveLog.LiveLogService>(listen)
            .ServeOnlyOnPort<ClientDirectoryService>(listen.InternalGrpcPort, "internal");
    }

    /// <summary>
    /// A portal-facing service: on the public gRPC port, and as REST (its http-annotated calls,
    /// transcoded) on the HTTP port; every call with an API key.
    /// </summary>
    private static IGrpcServerBuilder ServePortalApi<TService>(this IGrpcServerBuilder grpc, UrbListenOptions listen) where TService : class =>
        grpc.ServeOnlyOnPort<TService>(listen.GrpcPort, "public API", http => PortalOpenApi.IsTranscodedOn(http, listen.HttpPort))
            .AddServiceOptions<TService>(o => o.Interceptors.Add<ApiKeyInterceptor>());
}
