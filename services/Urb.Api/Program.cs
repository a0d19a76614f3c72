using Urb.Api;
using Urb.Api.Grpc;
using Urb.Api.Installers;
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
app.MapGrpcService<Urb.Api.Activities.ActivitiesService>();
Urb.Api.Activities.ActivityEvents.MapActivityEvents(app);
app.MapBootstrapEndpoints();
app.MapGrpcService<ClientDirectoryService>();
return await app.RunUrbAsync(args);
