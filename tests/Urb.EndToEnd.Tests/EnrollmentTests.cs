using System.Text.Json;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The walking skeleton: a client is created through Urb.Api, its agent enrols through the
/// gateway over TLS with the one-time token, and 'status' is answered live through the gateway.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class EnrollmentTests(StackFixture fixture)
{
    private const int NotEnrolled = 3;
    private const int Refused = 4;
    private const int Unreachable = 5;

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Enroll_WithFreshToken_StatusShowsServerTenantAndClient()
    {
        var created = await Stack.CreateClientAsync("laptop-" + Guid.NewGuid().ToString("N")[..6]);
        var state = Stack.NewAgentStateDirectory();

        var enroll = await Stack.AgentAsync(state, "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token);
        enroll.EnsureSuccess();
        Assert.Contains(created.Client.Name, enroll.StandardOutput);

        var status = (await Stack.AgentAsync(state, "status", "--json")).EnsureSuccess();
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal(Stack.GatewayAddress.ToString().TrimEnd('/'), json.RootElement.GetProperty("server").GetString());
        Assert.Equal(created.Client.Id, json.RootElement.GetProperty("client").GetProperty("id").GetString());
        Assert.Equal(created.Client.Name, json.RootElement.GetProperty("client").GetProperty("name").GetString());
        Assert.Equal("default", json.RootElement.GetProperty("tenant").GetProperty("name").GetString());

        var human = (await Stack.AgentAsync(state, "status")).EnsureSuccess();
        Assert.Contains($"Client:      {created.Client.Name}", human.StandardOutput);
    }

    [Fact]
    public async Task Enroll_TokenUsedTwice_SecondIsRefused()
    {
        var created = await Stack.CreateClientAsync("reuse-" + Guid.NewGuid().ToString("N")[..6]);
        (await Stack.AgentAsync(Stack.NewAgentStateDirectory(), "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token)).EnsureSuccess();

        var second = Stack.NewAgentStateDirectory();
        var again = await Stack.AgentAsync(second, "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token);

        Assert.Equal(Refused, again.ExitCode);
        Assert.Contains("already used", again.StandardError);
        Assert.False(File.Exists(Path.Combine(second, "agent.json")));
    }

    [Fact]
    public async Task Enroll_ExpiredToken_IsRefused()
    {
        var created = await Stack.CreateClientAsync("expired-" + Guid.NewGuid().ToString("N")[..6], TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var state = Stack.NewAgentStateDirectory();
        var enroll = await Stack.AgentAsync(state, "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token);

        Assert.Equal(Refused, enroll.ExitCode);
        Assert.Contains("expired", enroll.StandardError);
        Assert.False(File.Exists(Path.Combine(state, "agent.json")));
    }

    [Fact]
    public async Task Enroll_TokenWithWrongSecret_IsRefused()
    {
        var created = await Stack.CreateClientAsync("forged-" + Guid.NewGuid().ToString("N")[..6]);
        var parts = created.Enrollment.Token.Split('.');
        parts[2] = new string('A', parts[2].Length);

        var enroll = await Stack.AgentAsync(Stack.NewAgentStateDirectory(), "enroll", "--server", created.Enrollment.Server, "--token", string.Join('.', parts));

        Assert.Equal(Refused, enroll.ExitCode);
        Assert.Contains("not known", enroll.StandardError);
    }

    [Fact]
    public async Task Enroll_MalformedToken_IsAUsageError()
    {
        var enroll = await Stack.AgentAsync(Stack.NewAgentStateDirectory(), "enroll", "--server", Stack.GatewayAddress.ToString(), "--token", "not-a-token");

        Assert.Equal(2, enroll.ExitCode);
        Assert.Contains("not an Urb enrolment token", enroll.StandardError);
    }

    [Fact]
    public async Task Status_AgainstGatewayWithAnotherCa_IsRefusedByEnrolledAgent()
    {
        var created = await Stack.CreateClientAsync("pinned-" + Guid.NewGuid().ToString("N")[..6]);
        var state = Stack.NewAgentStateDirectory();
        (await Stack.AgentAsync(state, "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token)).EnsureSuccess();

        // Someone else answers at the server's address: a gateway with a CA of its own.
        var impostorPki = Path.Combine(Stack.Directory, "impostor-pki-" + Guid.NewGuid().ToString("N")[..6]);
        await Stack.InitPkiAsync(impostorPki);
        var impostorPorts = ServicePorts.Allocate();
        await using var impostor = await Stack.StartServiceAsync(UrbStack.Gateway, impostorPorts, new Dictionary<string, string?> { ["Gateway__PkiDirectory"] = impostorPki });
        PointAgentAt(state, impostorPorts.AgentAddress);

        var status = await Stack.AgentAsync(state, "status");

        Assert.Equal(Unreachable, status.ExitCode);
        Assert.Contains("not signed by the CA this agent trusts", status.StandardError);
    }

    [Fact]
    public async Task Enroll_AgainstGatewayWithAnotherCa_IsRefusedBeforeSendingTheToken()
    {
        var created = await Stack.CreateClientAsync("mitm-" + Guid.NewGuid().ToString("N")[..6]);
        var impostorPki = Path.Combine(Stack.Directory, "impostor-pki-" + Guid.NewGuid().ToString("N")[..6]);
        await Stack.InitPkiAsync(impostorPki);
        var impostorPorts = ServicePorts.Allocate();
        await using var impostor = await Stack.StartServiceAsync(UrbStack.Gateway, impostorPorts, new Dictionary<string, string?> { ["Gateway__PkiDirectory"] = impostorPki });

        var enroll = await Stack.AgentAsync(Stack.NewAgentStateDirectory(), "enroll", "--server", impostorPorts.AgentAddress.ToString(), "--token", created.Enrollment.Token);
        Assert.Equal(Unreachable, enroll.ExitCode);

        // The token never reached the impostor, so the real server still accepts it.
        (await Stack.AgentAsync(Stack.NewAgentStateDirectory(), "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token)).EnsureSuccess();
    }

    [Fact]
    public async Task Status_AfterClientDeleted_IsRefusedAsUnknownClient()
    {
        var created = await Stack.CreateClientAsync("deleted-" + Guid.NewGuid().ToString("N")[..6]);
        var state = Stack.NewAgentStateDirectory();
        (await Stack.AgentAsync(state, "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token)).EnsureSuccess();

        await Stack.ApiClients.DeleteClientAsync(new Contracts.Api.V1.DeleteClientRequest { Id = created.Client.Id }, Stack.AdminHeaders);
        var status = await Stack.AgentAsync(state, "status");

        Assert.Equal(Refused, status.ExitCode);
        Assert.Contains("not known to the server", status.StandardError);
    }

    [Fact]
    public async Task Status_CertificateOfAnUnknownClient_IsRefused()
    {
        var created = await Stack.CreateClientAsync("unknown-" + Guid.NewGuid().ToString("N")[..6]);
        var state = Stack.NewAgentStateDirectory();
        (await Stack.AgentAsync(state, "enroll", "--server", created.Enrollment.Server, "--token", created.Enrollment.Token)).EnsureSuccess();

        // A certificate the CA signed but the gateway has no record of (e.g. a restored old backup of the catalog).
        var serial = await Stack.Database.ScalarAsync<string>(
            $"DELETE FROM gateway.agent_credentials WHERE client_id = '{created.Client.Id}' RETURNING serial");
        Assert.NotNull(serial);

        var status = await Stack.AgentAsync(state, "status");
        Assert.Equal(Refused, status.ExitCode);
        Assert.Contains("not issued by this server", status.StandardError);
    }

    [Fact]
    public async Task Status_NotEnrolled_SaysSo()
    {
        var status = await Stack.AgentAsync(Stack.NewAgentStateDirectory(), "status");

        Assert.Equal(NotEnrolled, status.ExitCode);
        Assert.Contains("not enrolled", status.StandardError);
    }

    [Fact]
    public async Task Enroll_AlreadyEnrolled_NeedsForce()
    {
        var first = await Stack.CreateClientAsync("twice-" + Guid.NewGuid().ToString("N")[..6]);
        var state = Stack.NewAgentStateDirectory();
        (await Stack.AgentAsync(state, "enroll", "--server", first.Enrollment.Server, "--token", first.Enrollment.Token)).EnsureSuccess();
        var second = await Stack.CreateClientAsync("twice-" + Guid.NewGuid().ToString("N")[..6]);

        var again = await Stack.AgentAsync(state, "enroll", "--server", second.Enrollment.Server, "--token", second.Enrollment.Token);
        Assert.Equal(NotEnrolled, again.ExitCode);

        (await Stack.AgentAsync(state, "enroll", "--server", second.Enrollment.Server, "--token", second.Enrollment.Token, "--force")).EnsureSuccess();
        var status = (await Stack.AgentAsync(state, "status")).EnsureSuccess();
        Assert.Contains(second.Client.Name, status.StandardOutput);
    }

    private static void PointAgentAt(string stateDirectory, Uri server)
    {
        var path = Path.Combine(stateDirectory, "agent.json");
        var state = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(path))!;
        state["Server"] = JsonSerializer.SerializeToElement(server.ToString().TrimEnd('/'));
        File.WriteAllText(path, JsonSerializer.Serialize(state));
    }
}
