using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Urb.AgentGateway.Connections;
using Urb.AgentGateway.Control;
using Urb.AgentGateway.Data;
using Urb.AgentGateway.Enrollment;
using Urb.AgentGateway.Grpc;
using Urb.AgentGateway.Options;
using Urb.AgentGateway.Pki;
using Urb.AgentGateway.Updates;
using Urb.Contracts.Directory.V1;
using Urb.ServiceDefaults.Agents;
using Urb.ServiceDefaults.Data;
using Urb.ServiceDefaults.Grpc;
using Urb.ServiceDefaults.Hosting;
using Urb.ServiceDefaults.LiveLogging;
using Urb.ServiceDefaults.Redis;

namespace Urb.AgentGateway;

internal static class Extensions
{
    private const string AgentServicePrefix = "/urb.agent.v1.";
    private const int MaxEnrollmentMessageBytes = 64 * 1024;

    /// <summary>
    /// The agent port is the one port on the internet: it serves the agent services and nothing
    /// else (no health, no reflection, no internal service).
    /// </summary>
    public static void ServeOnlyAgentServicesOnAgentPort(this WebApplication app)
    {
        var agentPort = app.Configuration.GetValue(GatewayOptions.AgentPortKey, GatewayOptions.DefaultAgentPort);
        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == agentPort
                && context.Request.Path.Value?.StartsWith(AgentServicePrefix, StringComparison.Ordinal) != true)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        });
    }

    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddUrbPostgres<GatewayDbContext>(GatewayDbContext.Schema);
        builder.AddUrbRedis();
        builder.AddUrbGrpcClient<ClientDirectory.ClientDirectoryClient>("ApiDirectory");
        builder.AddUrbGrpcClient<RawIngestClient>("Ingest");

        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.PkiDirectory) && new PkiFiles(o.PkiDirectory).All.All(File.Exists),
                $"{GatewayOptions.SectionName}:PkiDirectory must name a folder with ca.crt, ca.key, gateway.crt and gateway.key (make them with the 'init-pki' command)")
            .Validate(o => o.LocalNetworks is null || o.LocalNetworks.All(n => System.Net.IPNetwork.TryParse(n.Trim(), out _)),
                $"{GatewayOptions.SectionName}:LocalNetworks must be networks in CIDR notation, like 10.0.0.0/8 or fd00::/8")
            .Validate(o => o.MaxConnectionsPerMinutePerAddress >= 0,
                $"{GatewayOptions.SectionName}:MaxConnectionsPerMinutePerAddress must be 0 (no limit) or more")
            .ValidateOnStart();

        builder.Services.AddSingleton<CertificateAuthority>();
        builder.Services.AddScoped<AgentSettingsSource>();
        builder.Services.AddSingleton<EnrollmentThrottle>();
        builder.Services.AddScoped<AgentIdentityResolver>();
        builder.Services.AddScoped<AgentCredentialIssuer>();
        builder.Services.AddSingleton<LiveAgentCalls>();
        builder.Services.AddSingleton<UploadLimits>();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<ControlStreams>();
        builder.Services.AddSingleton<AgentCommandBus>();
        builder.Services.AddSingleton<BackupPauses>();
        builder.Services.AddSingleton<AgentReleases>();
        builder.Services.AddSingleton<LiveLogReader>();
        builder.Services.AddHostedService<AgentNoticesListener>();
        builder.Services.AddSingleton<IServiceCommand, InitPkiCommand>();

        var agentPort = builder.Configuration.GetValue(GatewayOptions.AgentPortKey, GatewayOptions.DefaultAgentPort);
        builder.Services.AddUrbGrpc()
            .ServeOnlyOnPort<AgentEnrollmentService>(agentPort, "agent")
            .ServeOnlyOnPort<AgentSessionService>(agentPort, "agent")
            .ServeOnlyOnPort<AgentBackupsService>(agentPort, "agent")
            .ServeOnlyOnPort<AgentControlService>(agentPort, "agent")
            .ServeOnlyOnPort<AgentUpdatesService>(agentPort, "agent")
            .ServeOnlyOnPort<AgentLogService>(agentPort, "agent")
            .ServeOnlyOnPort<AgentPauseService>(agentPort, "agent")
            // Anyone may call enrolment, before any credential: its messages (a token, a
            // certificate request, a host name) are a few hundred bytes, so it takes no more than
            // this instead of the 16 MiB the backup calls need. Last of the service's options:
            // each AddServiceOptions copies the global sizes over the service's again.
            .AddServiceOptions<AgentEnrollmentService>(o => o.MaxReceiveMessageSize = MaxEnrollmentMessageBytes);

        builder.Services.AddSingleton<AgentTls>();
        builder.Services.AddSingleton<ConnectionRateLimit>();
        // Every agent keeps a control stream open and mostly idle: wait for its data before taking
        // a 64 KiB buffer block for it (the services' default, for their few busy callers, is not to).
        builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = true);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var listen = UrbListenOptions.From(context.Configuration);
            kestrel.Listen(KestrelExtensions.ParseAddress(listen.Address), agentPort, endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http1AndHttp2;
                var tls = kestrel.ApplicationServices.GetRequiredService<AgentTls>();
                endpoint.UseConnectionRateLimit(kestrel.ApplicationServices.GetRequiredService<ConnectionRateLimit>());
                endpoint.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(tls.Options) });
            });
        });
    }
}
