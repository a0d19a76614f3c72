using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Urb.Agent.Connection;

/// <summary>A gRPC channel to the gateway over TLS, with the pinned trust and, once enrolled, the agent's client certificate.</summary>
public sealed class GatewayConnection : IDisposable
{
    private GatewayConnection(GrpcChannel channel, GatewayTrust trust) => (Channel, Trust) = (channel, trust);

    public GrpcChannel Channel { get; }

    public GatewayTrust Trust { get; }

    public static GatewayConnection Open(Uri server, GatewayTrust trust, X509Certificate2? clientCertificate)
    {
        if (server.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The server address must start with https:// (got {server}).");
        }
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            EnableMultipleHttp2Connections = true,
        };
        handler.SslOptions.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors);
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }
        var channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        return new GatewayConnection(channel, trust);
    }

    public void Dispose() => Channel.Dispose();
}
