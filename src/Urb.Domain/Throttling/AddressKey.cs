using System.Net;
using System.Net.Sockets;

namespace Urb.Domain.Throttling;

/// <summary>
/// Who a remote address counts as, for limits per address: an IPv4 address is itself (also when
/// it arrives mapped into IPv6); an IPv6 address counts as its /64, the smallest block a site is
/// usually given, so one host can not escape a limit by walking through its own prefix.
/// </summary>
public static class AddressKey
{
    public static string For(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
