using System.CommandLine;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Urb.Agent.Connection;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Identity;

namespace Urb.Agent.Commands;

/// <summary>
/// <c>enroll --server URL --token TOKEN [--force]</c>: makes the agent's key pair, proves the
/// token to the gateway (whose CA must match the pin in the token), and saves the certificate.
/// </summary>
public static class EnrollCommand
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Command Create(Option<string> stateDirectory)
    {
        var server = new Option<string>("--server") { Description = "The gateway address printed by 'urb client add' (https://host:port)", Required = true };
        var token = new Option<string>("--token") { Description = "The one-time enrolment token", Required = true };
        var force = new Option<bool>("--force") { Description = "Enrol again even if this state directory is enrolled already" };
        var command = new Command("enroll", "Enrol this agent with a server, using a one-time token") { server, token, force };
        command.SetAction((result, cancellationToken) => RunAsync(
            new StateDirectory(result.GetValue(stateDirectory)!), result.GetValue(server)!, result.GetValue(token)!, result.GetValue(force), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(StateDirectory state, string serverText, string tokenText, bool force, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps)
        {
            await Console.Error.WriteLineAsync($"urb-agent: --server must be the gateway's https:// address (got '{serverText}').");
            return ExitCodes.Usage;
        }
        if (state.IsEnrolled && !force)
        {
            var current = state.LoadState();
            await Console.Error.WriteLineAsync($"urb-agent: {state.Path} is enrolled already as client '{current.ClientName}' with {current.Server}; use --force to enrol again.");
            return ExitCodes.NotEnrolled;
        }
        GatewayTrust? trust = null;
        try
        {
            var token = EnrollmentToken.Parse(tokenText);
            using var ca = await DiscoverCaAsync(server, token, cancellationToken);
            if (ca is null)
            {
                await Console.Error.WriteLineAsync(
                    $"urb-agent: refusing to enrol with {server}: its CA is not the one named in the token (a wrong address, or someone in between). The token was not sent.");
                return ExitCodes.Unreachable;
            }

            trust = new GatewayTrust(ca);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var csr = new CertificateRequest("CN=urb-agent", key, HashAlgorithmName.SHA256).CreateSigningRequest();
            using var connection = GatewayConnection.Open(server, trust, clientCertificate: null);
            var response = await new AgentEnrollment.AgentEnrollmentClient(connection.Channel).EnrollAsync(
                new EnrollRequest
                {
                    Token = tokenText.Trim(),
                    CertificateRequest = ByteString.CopyFrom(csr),
                    Hostname = Environment.MachineName,
                    AgentVersion = Version,
                },
                deadline: DateTime.UtcNow + Deadline,
                cancellationToken: cancellationToken);

            var enrolled = new AgentState
            {
                Server = server.ToString().TrimEnd('/'),
                ClientId = response.ClientId,
                ClientName = response.ClientName,
                TenantId = response.TenantId,
                TenantName = response.TenantName,
                EnrolledAt = DateTimeOffset.UtcNow,
            };
            state.SaveEnrollment(enrolled, key, response.ClientCertificatePem, ca.ExportCertificatePem());
            Console.WriteLine($"Enrolled as client '{response.ClientName}' of tenant '{response.TenantName}' with {enrolled.Server}.");
            Console.WriteLine($"Identity saved in {state.Path}; certificate valid until {response.CertificateExpiresAt.ToDateTimeOffset():u}.");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return CommandFailure.Report(e, trust, server);
        }
    }

    /// <summary>
    /// Fetches the gateway's CA and keeps it only if its key hash is the token's pin: from then
    /// on the gateway is trusted through that CA alone (the token travels only after this).
    /// </summary>
    private static async Task<X509Certificate2?> DiscoverCaAsync(Uri server, EnrollmentToken token, CancellationToken cancellationToken)
    {
        using var discovery = GatewayConnection.Open(server, GatewayTrust.ForCaDiscovery(), clientCertificate: null);
        var answer = await new AgentEnrollment.AgentEnrollmentClient(discovery.Channel).GetCaCertificateAsync(
            new GetCaCertificateRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
        var ca = X509Certificate2.CreateFromPem(answer.CaCertificatePem);
        if (CertificatePin.Matches(ca, token.CaPin)) return ca;
        ca.Dispose();
        return null;
    }

    internal static string Version =>
        typeof(EnrollCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
