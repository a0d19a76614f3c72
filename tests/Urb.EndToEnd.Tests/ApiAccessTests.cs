using Google.Rpc;
using Grpc.Core;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Directory.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>Urb.Api refuses callers without a valid key, keeps its internal directory off the public port, and answers bad input clearly.</summary>
[Collection(StackCollection.Name)]
public sealed class ApiAccessTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-key")]
    [InlineData("Bearer urbk1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task ListClients_WithoutValidKey_IsUnauthenticated(string? authorization)
    {
        var headers = new Metadata();
        if (authorization is not null) headers.Add("authorization", authorization);

        var e = await Assert.ThrowsAsync<RpcException>(() => Stack.ApiClients.ListClientsAsync(new ListClientsRequest(), headers).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task ListClients_KeyWithWrongSecret_IsUnauthenticated()
    {
        var parts = Stack.AdminKey.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Stack.ApiClients.ListClientsAsync(new ListClientsRequest(), new Metadata { { "authorization", $"Bearer {forged}" } }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task ClientDirectory_OnThePublicPort_IsNotServed()
    {
        var directory = new ClientDirectory.ClientDirectoryClient(Stack.Channel(Stack.Ports[UrbStack.Api].GrpcAddress));

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            directory.GetClientIdentityAsync(new GetClientIdentityRequest { ClientId = Guid.NewGuid().ToString() }).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, e.StatusCode);
    }

    [Fact]
    public async Task Clients_OnTheInternalPort_AreNotServed()
    {
        var clients = new Clients.ClientsClient(Stack.Channel(Stack.Ports[UrbStack.Api].InternalAddress));

        var e = await Assert.ThrowsAsync<RpcException>(() => clients.ListClientsAsync(new ListClientsRequest(), Stack.AdminHeaders).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, e.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    public async Task CreateClient_InvalidName_IsInvalidArgumentNamingTheField(string name)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Stack.CreateClientAsync(name));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var badRequest = e.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal("name", Assert.Single(badRequest.FieldViolations).Field);
    }

    [Fact]
    public async Task CreateClient_SameNameTwice_IsAlreadyExists()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N")[..6];
        await Stack.CreateClientAsync(name);

        var e = await Assert.ThrowsAsync<RpcException>(() => Stack.CreateClientAsync(name));

        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
    }

    [Fact]
    public async Task CreateClient_NameOfADeletedClient_CanBeUsedAgain()
    {
        var name = "reused-" + Guid.NewGuid().ToString("N")[..6];
        var first = await Stack.CreateClientAsync(name);
        await Stack.ApiClients.DeleteClientAsync(new DeleteClientRequest { Id = first.Client.Id }, Stack.AdminHeaders);

        var second = await Stack.CreateClientAsync(name);

        Assert.NotEqual(first.Client.Id, second.Client.Id);
    }

    [Fact]
    public async Task CreateClient_TokenValidForTooLong_IsInvalidArgument()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Stack.CreateClientAsync("long-" + Guid.NewGuid().ToString("N")[..6], TimeSpan.FromDays(365)));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task GetClient_UnknownOrMalformedId_IsNotFoundOrInvalidArgument()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            Stack.ApiClients.GetClientAsync(new GetClientRequest { Id = Guid.NewGuid().ToString() }, Stack.AdminHeaders).ResponseAsync);
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            Stack.ApiClients.GetClientAsync(new GetClientRequest { Id = "not-an-id" }, Stack.AdminHeaders).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
    }

    [Fact]
    public async Task CreateThenList_NewClient_IsListedWithoutEnrolment()
    {
        var created = await Stack.CreateClientAsync("listed-" + Guid.NewGuid().ToString("N")[..6]);

        var list = await Stack.ApiClients.ListClientsAsync(new ListClientsRequest(), Stack.AdminHeaders);

        var listed = Assert.Single(list.Clients, c => c.Id == created.Client.Id);
        Assert.Equal(created.Client.Name, listed.Name);
        Assert.Null(listed.EnrolledAt);
    }

    [Fact]
    public async Task CreateEnrollmentToken_ForExistingClient_LetsANewAgentEnrol()
    {
        var created = await Stack.CreateClientAsync("reinstall-" + Guid.NewGuid().ToString("N")[..6]);
        var fresh = await Stack.ApiClients.CreateEnrollmentTokenAsync(new CreateEnrollmentTokenRequest { ClientId = created.Client.Id }, Stack.AdminHeaders);

        var enroll = await Stack.AgentAsync(Stack.NewAgentStateDirectory(), "enroll", "--server", fresh.Server, "--token", fresh.Token);

        enroll.EnsureSuccess();
        var client = await Stack.ApiClients.GetClientAsync(new GetClientRequest { Id = created.Client.Id }, Stack.AdminHeaders);
        Assert.NotNull(client.EnrolledAt);
        Assert.Equal(Environment.MachineName, client.EnrolledHostname);
    }
}
