using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Urb.ServiceDefaults.Hosting;

public static class KestrelExtensions
{
    /// <summary>Flow-control windows sized for streaming chunks (the defaults stall bulk transfers).</summary>
    private const int ConnectionWindowBytes = 16 * 1024 * 1024;
    private const int StreamWindowBytes = 8 * 1024 * 1024;
    private const int MaxFrameBytes = 1024 * 1024;

    public static void ConfigureUrbKestrel(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UrbListenOptions>()
            .BindConfiguration(UrbListenOptions.SectionName)
            .Validate(o => IPAddress.TryParse(o.Address, out _), $"{UrbListenOptions.SectionName}:Address must be an IP address (e.g. 127.0.0.1 or 0.0.0.0)")
            .Validate(o => o.GrpcPort is > 0 and < 65536 && o.HttpPort is > 0 and < 65536 && o.InternalGrpcPort is >= 0 and < 65536,
                $"{UrbListenOptions.SectionName}: ports must be 1–65535")
            .ValidateOnStart();
        // Kestrel takes its buffer pool from the container: 64 KiB blocks, so a stream of chunks
        // costs a receive call per 32-64 KiB instead of per 2-4 KiB.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        // A service's callers are the other services: few connections, busy ones. Receiving into a
        // block at once saves the empty read Kestrel makes first to learn that data has come. The
        // gateway, which holds every agent's idle control stream, turns this back on.
        builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var listen = UrbListenOptions.From(context.Configuration);
            var address = ParseAddress(listen.Address);
            kestrel.Listen(address, listen.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(address, listen.HttpPort, o => o.Protocols = HttpProtocols.Http1);
            if (listen.InternalGrpcPort > 0) kestrel.Listen(address, listen.InternalGrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.InitialConnectionWindowSize = ConnectionWindowBytes;
            kestrel.Limits.Http2.InitialStreamWindowSize = StreamWindowBytes;
            // Clients that honour it may send DATA frames up to 1 MiB instead of 16 KiB. .NET's
            // HTTP/2 client (the agent's, and every Urb service's) sends 16 KiB frames whatever
            // the server allows (Kestrel's frame trace of a backup, 2026-11-28), so this serves
            // other gRPC clients; it costs nothing for ours.
            kestrel.Limits.Http2.MaxFrameSize = MaxFrameBytes;
            kestrel.AddServerHeader = false;
        });
    }

    /// <summary>The address to bind; an unparsable one binds loopback, and the options validation stops the start with a clear line.</summary>
    public static IPAddress ParseAddress(string text) => IPAddress.TryParse(text, out var address) ? address : IPAddress.Loopback;
}
