using Urb.Scheduler;
using Urb.Scheduler.Grpc;
using Urb.ServiceDefaults;
using Urb.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder();
builder.AddServiceDefaults();
builder.AddSchedulerServices();
builder.AddSchedulerLoops();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<JobsService>();
app.MapGrpcService<UsageHistoryService>();
return await app.RunUrbAsync(args);
