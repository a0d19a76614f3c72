namespace Urb.AgentGateway.Pki;

/// <summary>The installation's PKI files in one folder: the CA and the gateway's TLS certificate, as PEM.</summary>
public sealed record PkiFiles(string Directory)
{
    public string CaCertificate => Path.Combine(Directory, "ca.crt");
    public string CaKey => Path.Combine(Directory, "ca.key");
    public string GatewayCertificate => Path.Combine(Directory, "gateway.crt");
    public string GatewayKey => Path.Combine(Directory, "gateway.key");

    public IEnumerable<string> All => [CaCertificate, CaKey, GatewayCertificate, GatewayKey];
}
