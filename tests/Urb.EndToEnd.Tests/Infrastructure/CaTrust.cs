using System.Security.Cryptography.X509Certificates;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>How the tests' own TLS clients trust a gateway: as an agent does, through the installation's CA only.</summary>
public static class CaTrust
{
    public static bool ChainsTo(X509Certificate? presented, X509Certificate2 ca)
    {
        if (presented is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }
}
