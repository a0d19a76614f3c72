using Urb.ServiceDefaults;
using Urb.ServiceDefaults.Hosting;
using Urb.Storage;
using Urb.Storage.Grpc;

var builder = WebApplication.CreateBuilder();
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<StorageService>();
return await app.RunUrbAsync(args);
