using System.Net;
using System.Net.Sockets;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Loopback ports for the services a test starts. They are drawn below the kernel's ephemeral
/// range, as <c>./urb</c> draws the stack's: a port the OS handed out for "any free port" comes
/// from the range every outgoing connection also takes its local port from, and in a run that
/// opens thousands of connections one of them took such a port between the test's check and the
/// service's bind ("address already in use"). Never the same port twice in one test process.
/// </summary>
public static class FreePort
{
    private const int LowestPort = 20000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int EphemeralLow = ReadEphemeralLow();

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int Next()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000 && EphemeralLow > LowestPort + 1000; attempt++)
            {
                var port = Random.Shared.Next(LowestPort, EphemeralLow);
                if (HandedOut.Contains(port) || !IsFree(port)) continue;
                HandedOut.Add(port);
                return port;
            }
            // The ephemeral range starts too low to draw below it: take what the OS hands out.
            int chosen;
            do chosen = AnyFree();
            while (!HandedOut.Add(chosen));
            return chosen;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int AnyFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int ReadEphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
