using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Urb.Agent.State;
using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Connection;

/// <summary>
/// Keeps the agent's certificate fresh without anyone's help: once less than a third of its
/// validity is left, the agent makes a new key and asks the gateway (over mutual TLS with the
/// current certificate) for a certificate for it. The new identity is saved the same way as at
/// enrolment; the server retires the old certificate at the first call made with the new one.
/// </summary>
public static class CertificateRenewal
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static bool IsDue(DateTime notBefore, DateTime notAfter, DateTime now) =>
        notAfter - now < (notAfter - notBefore) / 3;

    public static bool IsDue(X509Certificate2 certificate, DateTime now) =>
        IsDue(certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime(), now);

    /// <summary>Renews over the given connection and saves the new identity; answers the new certificate's expiry.</summary>
    public static async Task<DateTimeOffset> RenewAsync(
        StateDirectory state, EnrolledIdentity identity, GatewayConnection connection, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=urb-agent", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var response = await new AgentSession.AgentSessionClient(connection.Channel).RenewCertificateAsync(
            new RenewCertificateRequest { CertificateRequest = ByteString.CopyFrom(request) },
            deadline: DateTime.UtcNow + Deadline,
            cancellationToken: cancellationToken);
        using var issued = X509Certificate2.CreateFromPem(response.ClientCertificatePem);
        if (!issued.PublicKey.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw new InvalidDataException("the server's new certificate is not for the key this agent sent");
        }
        state.SaveEnrollment(identity.State, key, response.ClientCertificatePem, identity.Ca.ExportCertificatePem());
        return response.CertificateExpiresAt.ToDateTimeOffset();
    }
}
