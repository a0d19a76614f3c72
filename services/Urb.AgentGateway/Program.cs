using Urb.AgentGateway;
using Urb.AgentGateway.Grpc;
using Urb.ServiceDefaults;
using Urb.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder();
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.ServeOnlyAgentServicesOnAgentPort();
app.MapDefaultEndpoints();
app.MapGrpcService<AgentEnrollmentService>();
app.MapGrpcService<AgentSessionService>();
app.MapGrpcService<AgentBackupsService>();
app.MapGrpcService<AgentControlService>();
app.MapGrpcService<AgentUpdatesService>();
app.MapGrpcService<AgentLogService>();
app.MapGrpcService<AgentPauseService>();
return await app.RunUrbAsync(args);
