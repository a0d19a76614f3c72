using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Urb.Agent.Connection;

/// <summary>
/// How the agent decides the gateway is its server: the server's certificate must chain to the
/// installation CA the agent pinned (checked against the token's pin at enrolment, saved then)
/// and name the host the agent dialled. No system trust store is involved.
/// </summary>
public sealed class GatewayTrust(X509Certificate2? pinnedCa)
{
    /// <summary>
    /// Trust for the one call that fetches the CA certificate at enrolment: any server is
    /// accepted, because what it answers is checked against the token's pin, and nothing secret
    /// is sent on that connection.
    /// </summary>
    public static GatewayTrust ForCaDiscovery() => new(null);

    /// <summary>Why the last check refused the server, for a clear message; null when it did not.</summary>
    public string? RefusalReason { get; private set; }

    public bool Validate(X509Certificate? presented, SslPolicyErrors errors)
    {
        if (pinnedCa is null) return true;
        if (presented is null)
        {
            return Refuse("the server sent no certificate");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return Refuse("the server's certificate is not made out to the address dialled");
        }
        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(pinnedCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(certificate))
        {
            return Refuse("the server's certificate is not signed by the CA this agent trusts (pinned at enrolment)");
        }
        RefusalReason = null;
        return true;
    }

    private bool Refuse(string reason)
    {
        RefusalReason = reason;
        return false;
    }
}
