using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Urb.ServiceDefaults.Hosting;

public static class KestrelExtensions
{
    /// <summary>Flow-control windows sized for streaming chunks (the defaults stall bulk transfers).</summary>
    private const int ConnectionWindowBytes = 16 * 1024 * 1024;
    private const int StreamWindowBytes = 8 * 1024 * 1024;

    public static void ConfigureUrbKestrel(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var listen = UrbListenOptions.From(context.Configuration);
            var address = ParseAddress(listen.Address);
            kestrel.Listen(address, listen.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(address, listen.HttpPort, o => o.Protocols = HttpProtocols.Http1);
            if (listen.InternalGrpcPort > 0) kestrel.Listen(address, listen.InternalGrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.InitialConnectionWindowSize = ConnectionWindowBytes;
            kestrel.Limits.Http2.InitialStreamWindowSize = StreamWindowBytes;
            kestrel.AddServerHeader = false;
        });
    }

    public static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out var address)
            ? address
            : throw new InvalidOperationException($"{UrbListenOptions.SectionName}:Address '{text}' is not an IP address.");
}
