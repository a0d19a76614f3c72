using Urb.Agent.Connection;

namespace Urb.Agent.Tests.Connection;

public sealed class CertificateRenewalTests
{
    private static readonly DateTime NotBefore = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime NotAfter = NotBefore.AddDays(90);

    [Theory]
    [InlineData(0, false)]
    [InlineData(59, false)]
    [InlineData(60.5, true)]
    [InlineData(89, true)]
    [InlineData(91, true)]
    public void IsDue_WhenLessThanAThirdOfTheValidityIsLeft(double daysIn, bool due)
    {
        Assert.Equal(due, CertificateRenewal.IsDue(NotBefore, NotAfter, NotBefore.AddDays(daysIn)));
    }
}
