using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The TLS of the gateway's agent port: the protocols and suites it agrees to, and the client
/// certificates it refuses in the handshake (expired, or signed by another CA) before any call.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AgentPortTlsTests(StackFixture fixture)
{
    private const int Refused = 4;

    private static readonly TlsCipherSuite[] Tls12Aead =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ];

    private UrbStack Stack => fixture.Stack;

    private int AgentPort => Stack.Ports[UrbStack.Gateway].Agent;

    [Fact]
    public async Task Handshake_DefaultClient_GetsTls13()
    {
        var outcome = await TlsProbe.ConnectAsync(AgentPort, Stack.CaCertificate);

        Assert.True(outcome.Accepted, outcome.ToString());
        Assert.Equal(SslProtocols.Tls13, outcome.Protocol);
    }

    [Fact]
    public async Task Handshake_Tls12Client_GetsAnEcdheAeadSuite()
    {
        var outcome = await TlsProbe.ConnectAsync(AgentPort, Stack.CaCertificate, protocols: SslProtocols.Tls12);

        Assert.True(outcome.Accepted, outcome.ToString());
        Assert.Equal(SslProtocols.Tls12, outcome.Protocol);
        Assert.Contains(outcome.CipherSuite!.Value, Tls12Aead);
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA)]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256)]
    public async Task Handshake_Tls12ClientOfferingOnlyAWeakSuite_IsRefused(TlsCipherSuite weak)
    {
        var outcome = await TlsProbe.ConnectAsync(AgentPort, Stack.CaCertificate, protocols: SslProtocols.Tls12, cipherSuites: [weak]);

        Assert.False(outcome.Accepted, outcome.ToString());
    }

    [Fact]
    public async Task ExpiredAgentCertificate_IsRefusedInTheHandshake_AndTheAgentSaysWhy()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var ca = TestCertificates.LoadCa(Stack.PkiDirectory);
        var (subject, serial) = Identity(agent);
        var now = DateTimeOffset.UtcNow;
        // Signed by the stack's own CA, for the agent's own client and serial, but out of date.
        using var expired = TestCertificates.Agent(ca, subject, new DateTimeOffset(ca.NotBefore.ToUniversalTime()), now.AddMinutes(-1), serial);
        // The same with valid dates passes the handshake (and is then refused by the gateway's own record).
        using var current = TestCertificates.Agent(ca, subject, now.AddMinutes(-5), now.AddDays(1));

        var handshake = await TlsProbe.ConnectAsync(AgentPort, Stack.CaCertificate, expired);
        var control = await TlsProbe.ConnectAsync(AgentPort, Stack.CaCertificate, current);
        var call = await Assert.ThrowsAsync<RpcException>(() => StatusThrough(agent, expired));
        ReplaceCertificate(agent, expired);
        var status = await agent.RunAsync("status");

        Assert.False(handshake.Accepted, handshake.ToString());
        Assert.True(control.Accepted, control.ToString());
        Assert.NotEqual(StatusCode.OK, call.StatusCode);
        Assert.Equal(Refused, status.ExitCode);
        Assert.Contains("certificate expired", status.StandardError);
    }

    [Fact]
    public async Task ForeignClientCertificate_IsRefusedInTheHandshake()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var foreignCa = TestCertificates.NewCa("Not the installation's CA");
        var (subject, serial) = Identity(agent);
        var now = DateTimeOffset.UtcNow;
        // Everything the gateway reads from a certificate copied from the real one: only the signer differs.
        using var forged = TestCertificates.Agent(foreignCa, subject, now.AddMinutes(-5), now.AddDays(1), serial);

        var handshake = await TlsProbe.ConnectAsync(AgentPort, Stack.CaCertificate, forged);
        var call = await Assert.ThrowsAsync<RpcException>(() => StatusThrough(agent, forged));

        Assert.False(handshake.Accepted, handshake.ToString());
        Assert.NotEqual(StatusCode.OK, call.StatusCode);
        Assert.Equal(0, (await agent.RunAsync("status")).ExitCode);
    }

    [Fact]
    public async Task CertificateOfTheCaThatTheGatewayDidNotIssue_PassesTheHandshake_ButIsUnauthenticated()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var ca = TestCertificates.LoadCa(Stack.PkiDirectory);
        var (subject, _) = Identity(agent);
        var now = DateTimeOffset.UtcNow;
        using var unknown = TestCertificates.Agent(ca, subject, now.AddMinutes(-5), now.AddDays(1));

        var call = await Assert.ThrowsAsync<RpcException>(() => StatusThrough(agent, unknown));

        Assert.Equal(StatusCode.Unauthenticated, call.StatusCode);
        Assert.Contains("not issued by this server", call.Status.Detail);
    }

    /// <summary>GetStatus as the agent's command line would call it, but with <paramref name="certificate"/>.</summary>
    private static async Task StatusThrough(BackupAgent agent, X509Certificate2 certificate)
    {
        using var channel = agent.RawChannel(certificate);
        await new AgentSession.AgentSessionClient(channel).GetStatusAsync(new GetStatusRequest());
    }

    private static (string Subject, byte[] Serial) Identity(BackupAgent agent)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(agent.CertificatePath));
        return (certificate.Subject, certificate.SerialNumberBytes.ToArray());
    }

    /// <summary>Puts <paramref name="certificate"/> in the agent's identity folder in place of the one the gateway issued.</summary>
    private static void ReplaceCertificate(BackupAgent agent, X509Certificate2 certificate)
    {
        File.WriteAllText(agent.CertificatePath, certificate.ExportCertificatePem() + "\n");
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(agent.CertificatePath)!, "agent.key"), key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
