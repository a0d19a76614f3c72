using Urb.Api;
using Urb.Api.Activities;
using Urb.Api.Grpc;
using Urb.Api.Installers;
using Urb.Api.Rest;
using Urb.ServiceDefaults;
using Urb.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder();
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<ClientsService>();
app.MapGrpcService<TenantsService>();
app.MapGrpcService<ApiKeysService>();
app.MapGrpcService<SnapshotsService>();
app.MapGrpcService<SettingsService>();
app.MapGrpcService<JobsService>();
app.MapGrpcService<ActivitiesService>();
app.MapGrpcService<Urb.Api.Usage.UsageService>();
app.MapActivityEvents();
app.MapBootstrapEndpoints();
app.MapPortalRest().MapRestoreDownloads();
app.MapPortalOpenApi();
app.MapGrpcService<ClientDirectoryService>();
return await app.RunUrbAsync(args);
