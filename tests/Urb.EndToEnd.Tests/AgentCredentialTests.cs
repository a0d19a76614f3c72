using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// An agent's credential over its life: revoked through the API (refused at the next call, its
/// open streams closed at once, a new enrolment accepted), and renewed by the agent (the new
/// certificate works, the old one is retired at the first call made with the new one).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AgentCredentialTests(StackFixture fixture)
{
    private const int Refused = 4;
    private static readonly TimeSpan CutOffWithin = TimeSpan.FromSeconds(10);

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Revoke_NextCallIsRefused_AndANewEnrolmentIsAccepted()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        Assert.Equal(0, (await agent.RunAsync("status")).ExitCode);

        var revoked = await Stack.ApiClients.RevokeAgentCredentialsAsync(new RevokeAgentCredentialsRequest { ClientId = agent.ClientId }, Stack.AdminHeaders);

        Assert.NotNull(revoked.CredentialsRevokedAt);
        var refused = await agent.RunAsync("status");
        Assert.Equal(Refused, refused.ExitCode);
        Assert.Contains("revoked", refused.StandardError);

        var token = await Stack.ApiClients.CreateEnrollmentTokenAsync(new CreateEnrollmentTokenRequest { ClientId = agent.ClientId }, Stack.AdminHeaders);
        (await agent.RunAsync("enroll", "--force", "--server", token.Server, "--token", token.Token)).EnsureSuccess();
        Assert.Equal(0, (await agent.RunAsync("status")).ExitCode);
    }

    [Theory]
    [InlineData("revoke")]
    [InlineData("delete")]
    public async Task CutOff_ClosesTheAgentsOpenBackupStreamAtOnce(string how)
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var call = agent.RawClient().Run();
        await call.RequestStream.WriteAsync(new BackupRequest { Start = new BackupStart { Kind = BackupKind.Incremental, Paths = { "/open" } } });
        Assert.True(await call.ResponseStream.MoveNext());

        if (how == "revoke")
        {
            await Stack.ApiClients.RevokeAgentCredentialsAsync(new RevokeAgentCredentialsRequest { ClientId = agent.ClientId }, Stack.AdminHeaders);
        }
        else
        {
            await Stack.ApiClients.DeleteClientAsync(new DeleteClientRequest { Id = agent.ClientId }, Stack.AdminHeaders);
        }

        using var within = new CancellationTokenSource(CutOffWithin);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(within.Token));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("cut off", error.Status.Detail);
        Assert.Equal(0, await Stack.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM ingest.backups WHERE client_id = '{agent.ClientId}' AND status = 'completed'"));
    }

    [Fact]
    public async Task Renew_NewCertificateWorks_OldOneIsRetiredAtTheNewOnesFirstUse()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var oldAgent = agent.ThroughGateway(Stack.GatewayAddress); // a copy of the agent as it is before the renewal
        var oldSerial = await SerialAsync(agent);

        var renew = await agent.RunAsync("renew");

        Assert.Equal(0, renew.ExitCode);
        Assert.Contains("renewed", renew.StandardError);
        Assert.NotEqual(oldSerial, await SerialAsync(agent));
        // Until the new certificate is used, the old one still works (the agent may have
        // crashed before it saved the new one).
        Assert.Equal(0, (await oldAgent.RunAsync("status")).ExitCode);

        Assert.Equal(0, (await agent.RunAsync("status")).ExitCode);

        var refused = await oldAgent.RunAsync("status");
        Assert.Equal(Refused, refused.ExitCode);
        Assert.Contains("revoked", refused.StandardError);
        Assert.Equal(0, (await agent.RunAsync("status")).ExitCode);
    }

    /// <summary>The serial of the certificate the agent's state directory holds (the one identity folder left after a save).</summary>
    private static Task<string> SerialAsync(BackupAgent agent)
    {
        var certificate = Directory.EnumerateFiles(agent.StateDirectory, "agent.crt", SearchOption.AllDirectories).Single();
        using var parsed = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificate));
        return Task.FromResult(parsed.SerialNumber);
    }
}
