using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Urb.Contracts.Agent.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Floods from one address: new connections beyond the per-address limit are closed before the
/// TLS handshake, and failed enrolments beyond the throttle get ResourceExhausted, while other
/// addresses go on as before. Each test runs a gateway of its own with a small limit (and, for
/// the enrolment throttle, whose counter lives in the shared Redis, a loopback address of its own).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AgentPortFloodTests(StackFixture fixture)
{
    private const int ConnectionLimit = 5;
    private const int EnrollmentFailureLimit = 3;
    private const int Unreachable = 5;

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Connections_BeyondTheLimitPerAddress_AreClosedBeforeTheHandshake_OtherAddressesGetIn()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var ports = ServicePorts.Allocate();
        await using var gateway = await Stack.StartServiceAsync(UrbStack.Gateway, ports,
            new Dictionary<string, string?> { ["Gateway__MaxConnectionsPerMinutePerAddress"] = ConnectionLimit.ToString() });
        // This gateway is the test's own, so the flood may come from the address the agent uses too.
        var flooder = IPAddress.Loopback;
        using var ca = Stack.CaCertificate;

        var first = new List<TlsProbe.Outcome>();
        for (var i = 0; i < ConnectionLimit; i++) first.Add(await TlsProbe.ConnectAsync(ports.Agent, ca, from: flooder));
        var beyond = new List<TlsProbe.Outcome>();
        for (var i = 0; i < ConnectionLimit; i++) beyond.Add(await TlsProbe.ConnectAsync(ports.Agent, ca, from: flooder));
        var status = await agent.ThroughGateway(ports.AgentAddress).RunAsync("status");
        var other = await TlsProbe.ConnectAsync(ports.Agent, ca, from: RandomLoopbackAddress());

        Assert.All(first, o => Assert.True(o.Accepted, o.ToString()));
        // The window slides: right at a minute's turn one more may fit, never two.
        Assert.True(beyond.Count(o => !o.Accepted) >= ConnectionLimit - 1, string.Join("; ", beyond));
        Assert.All(beyond.Where(o => !o.Accepted), o => Assert.Equal(SslProtocols.None, o.Protocol));
        Assert.Equal(Unreachable, status.ExitCode);
        Assert.Contains("cannot reach the server", status.StandardError);
        Assert.True(other.Accepted, other.ToString());
        Assert.Contains($"Connections from {flooder} refused on the agent port", gateway.Output);
    }

    [Fact]
    public async Task Enroll_FailuresBeyondTheThrottle_AreResourceExhausted_EvenWithAGoodToken()
    {
        var ports = ServicePorts.Allocate();
        await using var gateway = await Stack.StartServiceAsync(UrbStack.Gateway, ports,
            new Dictionary<string, string?> { ["Gateway__MaxEnrollmentFailures"] = EnrollmentFailureLimit.ToString() });
        var guesser = RandomLoopbackAddress();
        var created = await Stack.CreateClientAsync("throttled-" + Guid.NewGuid().ToString("N")[..6]);
        var parts = created.Enrollment.Token.Split('.');
        parts[2] = new string('A', parts[2].Length);
        var wrong = string.Join('.', parts);
        using var ca = Stack.CaCertificate;
        using var channel = EnrollmentChannel(ports.AgentAddress, guesser, ca);
        var fromGuesser = new AgentEnrollment.AgentEnrollmentClient(channel);

        var failures = new List<StatusCode>();
        for (var i = 0; i < EnrollmentFailureLimit + 2; i++) failures.Add((await EnrollFailureAsync(fromGuesser, wrong)).StatusCode);
        var good = await EnrollFailureAsync(fromGuesser, created.Enrollment.Token);

        Assert.Equal(Enumerable.Repeat(StatusCode.Unauthenticated, EnrollmentFailureLimit), failures.Take(EnrollmentFailureLimit));
        Assert.All(failures.Skip(EnrollmentFailureLimit), s => Assert.Equal(StatusCode.ResourceExhausted, s));
        Assert.Equal(StatusCode.ResourceExhausted, good.StatusCode);
        Assert.Contains("Too many failed enrolments", good.Status.Detail);
        // The refused call never reached the token: it still enrols, from another address (a fresh
        // one: the failure counts are shared through Redis, and other tests fail enrolments from 127.0.0.1).
        using var otherChannel = EnrollmentChannel(ports.AgentAddress, RandomLoopbackAddress(), ca);
        var enrolled = await new AgentEnrollment.AgentEnrollmentClient(otherChannel).EnrollAsync(EnrollRequestWith(created.Enrollment.Token));
        Assert.Equal(created.Client.Id, enrolled.ClientId);
    }

    private static async Task<RpcException> EnrollFailureAsync(AgentEnrollment.AgentEnrollmentClient client, string token) =>
        await Assert.ThrowsAsync<RpcException>(() => client.EnrollAsync(EnrollRequestWith(token)).ResponseAsync);

    private static EnrollRequest EnrollRequestWith(string token)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=flood", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        return new EnrollRequest { Token = token, CertificateRequest = ByteString.CopyFrom(request), Hostname = "flood", AgentVersion = "test" };
    }

    /// <summary>An enrolment client whose connections come from <paramref name="from"/> (any 127.x address is this machine).</summary>
    private static GrpcChannel EnrollmentChannel(Uri gateway, IPAddress from, X509Certificate2 ca)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => CaTrust.ChainsTo(presented, ca);
        return GrpcChannel.ForAddress(gateway, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>A loopback address other than 127.0.0.1, so the test's counters are its own.</summary>
    private static IPAddress RandomLoopbackAddress() =>
        new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(2, 255)]);
}
