using System.Net;
using Urb.Domain.Throttling;

namespace Urb.Domain.Tests.Throttling;

public sealed class AddressKeyTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void For_Address_IsItsIPv4AddressOrIPv6Slash64(string address, string expected) =>
        Assert.Equal(expected, AddressKey.For(IPAddress.Parse(address)));
}
