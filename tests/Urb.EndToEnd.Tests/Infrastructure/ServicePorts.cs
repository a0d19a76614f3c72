namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>The loopback ports of one service process; Internal (Urb.Api) and Agent (the gateway) only where used.</summary>
public sealed record ServicePorts(int Grpc, int Http, int Internal, int Agent)
{
    public static ServicePorts Allocate() => new(FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());

    public Uri GrpcAddress => new($"http://127.0.0.1:{Grpc}");

    public Uri InternalAddress => new($"http://127.0.0.1:{Internal}");

    public Uri AgentAddress => new($"https://127.0.0.1:{Agent}");

    public Uri ReadyUrl => new($"http://127.0.0.1:{Http}/health/ready");

    public Uri LiveUrl => new($"http://127.0.0.1:{Http}/health/live");
}
