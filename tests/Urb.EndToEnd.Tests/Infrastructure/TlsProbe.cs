using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One connection to a TLS port, made by hand: the handshake with the given protocols, suites and
/// client certificate, then the HTTP/2 preface. The server accepted the connection only when it
/// answers with its SETTINGS frame: with TLS 1.3 a client finishes its handshake before the server
/// has judged the client certificate, so a refusal may come only as an alert on the first read.
/// </summary>
public static class TlsProbe
{
    private static readonly byte[] Http2Preface = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];
    private const byte SettingsFrame = 4;

    public sealed record Outcome(bool Accepted, SslProtocols Protocol, TlsCipherSuite? CipherSuite, string? Failure)
    {
        public override string ToString() => Accepted ? $"accepted ({Protocol}, {CipherSuite})" : $"refused: {Failure}";
    }

    public static async Task<Outcome> ConnectAsync(
        int port,
        X509Certificate2 serverCa,
        X509Certificate2? clientCertificate = null,
        SslProtocols protocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        IEnumerable<TlsCipherSuite>? cipherSuites = null,
        IPAddress? from = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null) socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            EnabledSslProtocols = protocols,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = (_, presented, _, _) => CaTrust.ChainsTo(presented, serverCa),
        };
        if (cipherSuites is not null)
        {
            if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Choosing cipher suites needs OpenSSL (Linux).");
            options.CipherSuitesPolicy = new CipherSuitesPolicy(cipherSuites);
        }
        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }
        try
        {
            await tls.AuthenticateAsClientAsync(options, timeout.Token);
            await tls.WriteAsync(Http2Preface, timeout.Token);
            var header = new byte[9];
            await tls.ReadExactlyAsync(header, timeout.Token);
            return header[3] == SettingsFrame
                ? new Outcome(true, tls.SslProtocol, tls.NegotiatedCipherSuite, null)
                : new Outcome(false, tls.SslProtocol, tls.NegotiatedCipherSuite, $"first frame of type {header[3]}, not SETTINGS");
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException)
        {
            return new Outcome(false, SslProtocols.None, null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
