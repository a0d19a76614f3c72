using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>Every service answers the HTTP probes, the gRPC health service and gRPC reflection.</summary>
[Collection(StackCollection.Name)]
public sealed class ServiceHealthTests(StackFixture fixture)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static TheoryData<string> Services => new(UrbStack.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task HealthEndpoints_RunningService_AreLiveAndReady(string service)
    {
        var ports = fixture.Stack.Ports[service];

        using var live = await Http.GetAsync(ports.LiveUrl);
        using var ready = await Http.GetAsync(ports.ReadyUrl);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", await ready.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task GrpcHealth_RunningService_IsServing(string service)
    {
        var health = new Health.HealthClient(fixture.Stack.Channel(fixture.Stack.Ports[service].GrpcAddress));

        var answer = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
    }

    [Fact]
    public async Task Reflection_Api_ListsItsServices()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Stack.Channel(fixture.Stack.Ports[UrbStack.Api].GrpcAddress));
        using var call = reflection.ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("urb.api.v1.Clients", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task RedisStopped_Gateway_IsNotReadyUntilRedisIsBack()
    {
        var stack = fixture.Stack;
        var gateway = stack.Ports[UrbStack.Gateway];
        await stack.Redis.StopAsync();
        try
        {
            await WaitForReadinessAsync(gateway, HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await stack.Redis.StartAgainAsync();
        }
        await WaitForReadinessAsync(gateway, HttpStatusCode.OK);
    }

    [Fact]
    public async Task AgentServices_OnTheGatewaysInternalPort_AreNotServed()
    {
        var session = new Contracts.Agent.V1.AgentSession.AgentSessionClient(fixture.Stack.Channel(fixture.Stack.Ports[UrbStack.Gateway].GrpcAddress));

        var e = await Assert.ThrowsAsync<RpcException>(() => session.GetStatusAsync(new Contracts.Agent.V1.GetStatusRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, e.StatusCode);
    }

    [Fact]
    public async Task GatewayAgentPort_ServesNoHealthEndpoint()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler);

        using var response = await http.GetAsync(new Uri(fixture.Stack.GatewayAddress, "/health/ready"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static async Task WaitForReadinessAsync(ServicePorts ports, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode? last;
        while ((last = await UrbStack.ReadinessAsync(ports)) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"/health/ready stayed {last?.ToString() ?? "unanswered"}, expected {expected}");
            await Task.Delay(200);
        }
    }
}
