using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// What the agent port and the portal API answer to callers that break the rules: messages over
/// the size limit, messages that are not protobuf, floods of connections and of failed
/// enrolments. Each gets a clear status, and nothing is stored.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AgentPortHostileTests(StackFixture fixture)
{
    /// <summary>The largest message the gateway takes on Backups (ServiceDefaults), and on AgentEnrollment (the gateway's own limit).</summary>
    private const int MaxMessage = 16 * 1024 * 1024;
    private const int MaxEnrollmentMessage = 64 * 1024;
    private const string ParseFailure = "A request message is not valid protobuf";

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Run_FirstMessageOverTheLimit_IsResourceExhaustedAndNothingIsStarted()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var channel = agent.RawChannel();
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(
            RawCalls.Method(MethodType.DuplexStreaming, Backups.Descriptor, "Run"), null, new CallOptions(deadline: RawCalls.Deadline));

        var error = await SendAndGetStatusAsync(call, new byte[MaxMessage + 1]);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, await BackupRowsAsync(agent));
    }

    [Fact]
    public async Task Run_ChunkOverTheLimit_IsResourceExhaustedAndNothingIsCommitted()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var call = agent.RawClient().Run(deadline: RawCalls.Deadline);
        await call.RequestStream.WriteAsync(new BackupRequest { Start = new BackupStart { Kind = BackupKind.Incremental, Paths = { "/oversize" } } });
        Assert.True(await call.ResponseStream.MoveNext());
        var key = call.ResponseStream.Current.Started.ChunkIdKey.ToByteArray();
        var data = RandomNumberGenerator.GetBytes(MaxMessage + 1);
        var id = Urb.Domain.Content.ChunkId.Compute(key, data);

        var error = await SendAndGetStatusAsync(call, new BackupRequest { Chunk = new ChunkUpload { Id = ByteString.CopyFrom(id), Data = ByteString.CopyFrom(data), EndOfChunk = true } });
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Empty((await agent.RawClient().ListSnapshotsAsync(new ListSnapshotsRequest())).Snapshots);
        Assert.Equal(0, await Stack.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM ingest.backups WHERE client_id = '{agent.ClientId}' AND status = 'completed'"));
        Assert.Equal(0, await Stack.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM dedup.chunks WHERE chunk_id = '\\x{Convert.ToHexString(id)}'::bytea"));
    }

    [Fact]
    public async Task Enroll_MessageOverItsLimit_IsResourceExhaustedBeforeAnyCertificate()
    {
        using var channel = AnonymousChannel();

        var error = await RawCalls.UnaryFailureAsync(channel.CreateCallInvoker(), AgentEnrollment.Descriptor, "Enroll", new byte[MaxEnrollmentMessage + 1]);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    /// <summary>
    /// A unary request is parsed before any handler or interceptor runs; the services bind their
    /// methods with a request parser that answers a parse failure with InvalidArgument
    /// (ValidatingServiceMethodProvider). Nothing runs, so nothing changes.
    /// </summary>
    [Fact]
    public async Task UnaryAgentCalls_RequestThatIsNotProtobuf_AreInvalidArgument()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var channel = agent.RawChannel();
        using var anonymous = AnonymousChannel();
        var credentials = await CredentialRowsAsync(agent);

        RpcException[] errors =
        [
            await RawCalls.UnaryFailureAsync(channel.CreateCallInvoker(), AgentSession.Descriptor, "GetStatus", RawCalls.NotProtobuf),
            await RawCalls.UnaryFailureAsync(channel.CreateCallInvoker(), AgentSession.Descriptor, "RenewCertificate", RawCalls.NotProtobuf),
            await RawCalls.UnaryFailureAsync(channel.CreateCallInvoker(), Backups.Descriptor, "ListSnapshots", RawCalls.NotProtobuf),
            await RawCalls.UnaryFailureAsync(anonymous.CreateCallInvoker(), AgentEnrollment.Descriptor, "Enroll", RawCalls.NotProtobuf),
        ];

        Assert.All(errors, e =>
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.StartsWith(ParseFailure, e.Status.Detail);
        });
        Assert.Equal(credentials, await CredentialRowsAsync(agent));
        Assert.Equal(0, await BackupRowsAsync(agent));
        Assert.Equal(0, (await agent.RunAsync("status")).ExitCode);
    }

    [Fact]
    public async Task PortalCalls_RequestThatIsNotProtobuf_AreInvalidArgument()
    {
        var invoker = Stack.Channel(Stack.Ports[UrbStack.Api].GrpcAddress).CreateCallInvoker();
        var clients = (await Stack.ApiClients.ListClientsAsync(new ListClientsRequest(), Stack.AdminHeaders)).Clients.Count;

        var list = await RawCalls.UnaryFailureAsync(invoker, Clients.Descriptor, "ListClients", RawCalls.NotProtobuf, Stack.AdminHeaders);
        var create = await RawCalls.UnaryFailureAsync(invoker, Clients.Descriptor, "CreateClient", RawCalls.NotProtobuf, Stack.AdminHeaders);
        // The key is never looked at: the request fails before the call starts.
        var anonymous = await RawCalls.UnaryFailureAsync(invoker, Clients.Descriptor, "DeleteClient", RawCalls.NotProtobuf);

        Assert.All([list, create, anonymous], e =>
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.StartsWith(ParseFailure, e.Status.Detail);
        });
        Assert.Equal(clients, (await Stack.ApiClients.ListClientsAsync(new ListClientsRequest(), Stack.AdminHeaders)).Clients.Count);
    }

    /// <summary>Sends one message and returns the status the call ended with (the server may end it while the message is still on its way).</summary>
    private static async Task<RpcException> SendAndGetStatusAsync<TRequest, TResponse>(AsyncDuplexStreamingCall<TRequest, TResponse> call, TRequest message)
    {
        // Not awaited before the answer: once the server has answered, an oversize write can wait
        // for HTTP/2 flow-control credit that never comes (seen under load), and the call's
        // deadline no longer runs then. Disposing the call (the caller's `using`) ends the write.
        var write = call.RequestStream.WriteAsync(message);
        _ = write.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
    }

    private async Task<long> CredentialRowsAsync(BackupAgent agent) =>
        await Stack.Database.ScalarAsync<long>($"SELECT count(*) FROM gateway.agent_credentials WHERE client_id = '{agent.ClientId}'");

    private async Task<long> BackupRowsAsync(BackupAgent agent) =>
        await Stack.Database.ScalarAsync<long>($"SELECT count(*) FROM ingest.backups WHERE client_id = '{agent.ClientId}'");

    /// <summary>A TLS channel without a client certificate, as a machine that is not enrolled has.</summary>
    private GrpcChannel AnonymousChannel()
    {
        var ca = Stack.CaCertificate;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => CaTrust.ChainsTo(presented, ca);
        return GrpcChannel.ForAddress(Stack.GatewayAddress, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
