using Urb.ServiceDefaults;
using Urb.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder();
builder.AddServiceDefaults();

var app = builder.Build();
app.MapDefaultEndpoints();
return await app.RunUrbAsync(args);
