using Urb.Agent.Updates;

namespace Urb.Agent.Tests.Updates;

public sealed class ReleaseKeyTests
{
    [Theory]
    [InlineData("")]
    [InlineData("not base64")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void FromBase64_NotA32ByteKey_IsRefused(string text) => Assert.Throws<FormatException>(() => ReleaseKey.FromBase64(text));

    [Fact]
    public void FromBase64_AKey_HasTheManifestsKeyId()
    {
        using var key = Releases.NewKey();

        var trusted = Releases.Trusting(key);

        Assert.Equal(Releases.Manifest(key).KeyId, trusted.Id);
    }

    [Fact]
    public void Trusted_ShippedBuild_IgnoresTheTestBuildsVariable()
    {
        // These tests run against agent/Urb.Agent, the build that is shipped, built without a key.
        using var key = Releases.NewKey();
        Environment.SetEnvironmentVariable("URB_TEST_RELEASE_PUBLIC_KEY", Convert.ToBase64String(key.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey)));
        try
        {
            Assert.Null(ReleaseKey.Trusted());
        }
        finally
        {
            Environment.SetEnvironmentVariable("URB_TEST_RELEASE_PUBLIC_KEY", null);
        }
    }
}
