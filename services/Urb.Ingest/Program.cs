using Urb.Ingest;
using Urb.Ingest.Grpc;
using Urb.ServiceDefaults;
using Urb.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder();
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<IngestService>();
app.MapGrpcService<BackupCatalogService>();
app.MapGrpcService<GarbageCollectorService>();
return await app.RunUrbAsync(args);
