using Urb.DedupIndex;
using Urb.DedupIndex.Grpc;
using Urb.ServiceDefaults;
using Urb.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder();
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<DedupIndexService>();
return await app.RunUrbAsync(args);
