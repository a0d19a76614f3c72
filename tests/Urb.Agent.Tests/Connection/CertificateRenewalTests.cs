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

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Next_DoublesUpToTheLongest_WithJitter_AndResetStartsOver()
    {
        var backoff = new Urb.Agent.Control.ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(7));

        var waits = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToArray();

        Assert.InRange(waits[0], 0.8, 1.2);
        Assert.InRange(waits[1], 1.6, 2.4);
        Assert.InRange(waits[2], 3.2, 4.8);
        Assert.All(waits[4..], w => Assert.InRange(w, 8, 12));
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.8, 1.2);
    }
}
