using Urb.Domain.Releases;

namespace Urb.Domain.Tests.Releases;

public sealed class ReleaseVersionTests
{
    [Theory]
    [InlineData("0.1.0", 0, 1, 0)]
    [InlineData("10.20.300", 10, 20, 300)]
    public void TryParse_ThreeNumbers_Parses(string text, int major, int minor, int patch)
    {
        Assert.True(ReleaseVersion.TryParse(text, out var version));
        Assert.Equal(new ReleaseVersion(major, minor, patch), version);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3-beta")]
    [InlineData("1.+2.3")]
    [InlineData("1. 2.3")]
    [InlineData("-1.2.3")]
    [InlineData("1.2.9999999999")]
    public void TryParse_AnythingElse_IsRefused(string text) => Assert.False(ReleaseVersion.TryParse(text, out _));

    [Theory]
    [InlineData("0.1.0+885de28adcab791236b5e82380620dfd9f228bc9", "0.1.0")]
    [InlineData("0.0.1-test+885de28", "0.0.1")]
    [InlineData("2.0.0", "2.0.0")]
    public void TryParseBuild_InformationalVersion_IgnoresTagsAndMetadata(string informational, string expected)
    {
        Assert.True(ReleaseVersion.TryParseBuild(informational, out var version));
        Assert.Equal(expected, version.ToString());
    }

    [Theory]
    [InlineData("0.1.0", "0.2.0")]
    [InlineData("0.9.9", "0.10.0")]
    [InlineData("1.2.3", "1.2.10")]
    [InlineData("1.99.99", "2.0.0")]
    public void CompareTo_ComparesNumberByNumber(string older, string newer)
    {
        Assert.True(ReleaseVersion.Parse(older) < ReleaseVersion.Parse(newer));
        Assert.True(ReleaseVersion.Parse(newer) > ReleaseVersion.Parse(older));
    }
}
