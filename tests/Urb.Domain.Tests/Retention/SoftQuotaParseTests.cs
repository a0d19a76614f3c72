using Urb.Domain.Retention;

namespace Urb.Domain.Tests.Retention;

public sealed class SoftQuotaParseTests
{
    private const long K = 1024, M = K * K, G = M * K, T = G * K;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-")]
    [InlineData(" - ")]
    public void Parse_EmptyOrDash_IsNone(string? text)
    {
        var quota = SoftQuota.Parse(text);

        Assert.True(quota.IsNone);
        Assert.Same(SoftQuota.None, quota);
        Assert.Equal("", quota.ToString());
        Assert.Null(quota.LimitFor(1000));
    }

    [Theory]
    [InlineData("500M", 500 * M, "500M")]
    [InlineData("20G", 20 * G, "20G")]
    [InlineData("20g", 20 * G, "20G")]
    [InlineData("20 G", 20 * G, "20G")]
    [InlineData("20GB", 20 * G, "20G")]
    [InlineData("20gb", 20 * G, "20G")]
    [InlineData("20GiB", 20 * G, "20G")]
    [InlineData("20 gib", 20 * G, "20G")]
    [InlineData(" 20G ", 20 * G, "20G")]
    [InlineData("2T", 2 * T, "2T")]
    [InlineData("1K", K, "1K")]
    [InlineData("1kB", K, "1K")]
    [InlineData("2048G", 2 * T, "2T")]
    [InlineData("1.5G", 1536 * M, "1536M")]
    [InlineData("0.5T", 512 * G, "512G")]
    [InlineData("0.1K", 102, "102")]
    [InlineData("1000", 1000, "1000")]
    [InlineData("1000B", 1000, "1000")]
    [InlineData("1024", K, "1K")]
    [InlineData("0", 0, "0")]
    [InlineData("0G", 0, "0")]
    [InlineData("007G", 7 * G, "7G")]
    [InlineData("8388607T", 8388607 * T, "8388607T")]
    [InlineData("9223372036854775807", long.MaxValue, "9223372036854775807")]
    public void Parse_Size_IsBinaryBytes(string text, long bytes, string canonical)
    {
        var quota = SoftQuota.Parse(text);

        Assert.Equal(bytes, quota.Bytes);
        Assert.Null(quota.Percent);
        Assert.False(quota.IsNone);
        Assert.Equal(canonical, quota.ToString());
    }

    [Theory]
    [InlineData("10%", "10", "10%")]
    [InlineData("10 %", "10", "10%")]
    [InlineData("010%", "10", "10%")]
    [InlineData("2.5%", "2.5", "2.5%")]
    [InlineData("2.50%", "2.5", "2.5%")]
    [InlineData("0%", "0", "0%")]
    [InlineData("100%", "100", "100%")]
    [InlineData("100.0%", "100", "100%")]
    public void Parse_Percentage(string text, string percent, string canonical)
    {
        var quota = SoftQuota.Parse(text);

        Assert.Equal(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture), quota.Percent);
        Assert.Null(quota.Bytes);
        Assert.Equal(canonical, quota.ToString());
    }

    [Theory]
    [InlineData("20G")]
    [InlineData("1536M")]
    [InlineData("12.5%")]
    [InlineData("1000")]
    public void Parse_Canonical_RoundTrips(string text)
    {
        var quota = SoftQuota.Parse(text);

        Assert.Equal(quota, SoftQuota.Parse(quota.ToString()));
    }

    [Fact]
    public void LimitFor_Size_IgnoresCapacity()
    {
        Assert.Equal(20 * G, SoftQuota.Parse("20G").LimitFor(null));
        Assert.Equal(20 * G, SoftQuota.Parse("20G").LimitFor(G));
    }

    [Theory]
    [InlineData("10%", 1000, 100)]
    [InlineData("50%", 3, 2)]
    [InlineData("50%", 1, 1)]
    [InlineData("33.3%", 1000, 333)]
    [InlineData("0%", 1000, 0)]
    [InlineData("100%", long.MaxValue, long.MaxValue)]
    [InlineData("10%", 0, 0)]
    public void LimitFor_Percentage_OfCapacityRounded(string text, long capacity, long limit)
    {
        Assert.Equal(limit, SoftQuota.Parse(text).LimitFor(capacity));
    }

    [Fact]
    public void LimitFor_PercentageWithUnknownCapacity_IsNull()
    {
        Assert.Null(SoftQuota.Parse("10%").LimitFor(null));
    }

    [Fact]
    public void LimitFor_NegativeCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftQuota.Parse("10%").LimitFor(-1));
    }

    [Fact]
    public void Factories_RejectOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftQuota.OfBytes(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftQuota.OfPercent(-0.1m));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftQuota.OfPercent(100.1m));
        Assert.Equal("5G", SoftQuota.OfBytes(5 * G).ToString());
        Assert.Equal("7%", SoftQuota.OfPercent(7).ToString());
    }
}
