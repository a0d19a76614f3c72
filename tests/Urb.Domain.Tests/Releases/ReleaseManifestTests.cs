using System.Text;
using Urb.Domain.Releases;

namespace Urb.Domain.Tests.Releases;

public sealed class ReleaseManifestTests
{
    private static readonly ReleaseManifest Sample = new(
        ReleaseVersion.Parse("0.2.0"), "linux-x64", "urb-agent-0.2.0-linux-x64.tar.gz", 48213504,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "3a7bd3e2360a3d29");

    [Fact]
    public void Statement_IsTheDocumentedText()
    {
        Assert.Equal(
            "urb-agent-release 1\nversion 0.2.0\nplatform linux-x64\narchive urb-agent-0.2.0-linux-x64.tar.gz\nsize 48213504\n"
            + "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\nkey 3a7bd3e2360a3d29\n",
            Encoding.UTF8.GetString(Sample.Statement()));
    }

    [Fact]
    public void ParseStatement_OfStatement_RoundTrips() => Assert.Equal(Sample, ReleaseManifest.ParseStatement(Sample.Statement()));

    [Theory]
    [InlineData("urb-agent-release 2\n")]
    [InlineData("version 0.2.0\n")]
    [InlineData("platform linux-x64\nversion 0.2.0\n")]
    [InlineData("archive ../etc/passwd\n")]
    [InlineData("archive .hidden.tar.gz\n")]
    [InlineData("size -1\n")]
    [InlineData("sha256 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\n")]
    [InlineData("version 0.2.0\nversion 0.3.0\n")]
    [InlineData("extra field\n")]
    public void ParseStatement_ChangedLines_AreRefused(string change)
    {
        var text = Encoding.UTF8.GetString(Sample.Statement());
        var changed = change switch
        {
            "urb-agent-release 2\n" => text.Replace("urb-agent-release 1\n", change, StringComparison.Ordinal),
            "version 0.2.0\n" => text.Replace("urb-agent-release 1\n", "", StringComparison.Ordinal),
            "platform linux-x64\nversion 0.2.0\n" => text.Replace("version 0.2.0\nplatform linux-x64\n", change, StringComparison.Ordinal),
            "version 0.2.0\nversion 0.3.0\n" => text.Replace("version 0.2.0\n", change, StringComparison.Ordinal),
            "extra field\n" => text + change,
            _ => ReplaceLine(text, change),
        };
        Assert.NotEqual(text, changed);
        Assert.Throws<FormatException>(() => ReleaseManifest.ParseStatement(Encoding.UTF8.GetBytes(changed)));
    }

    [Fact]
    public void Split_SignedFile_SeparatesStatementAndSignature()
    {
        var signature = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var file = SignedReleaseManifest.Compose(Sample.Statement(), signature);

        var split = SignedReleaseManifest.Split(file);

        Assert.Equal(Sample.Statement(), split.Statement);
        Assert.Equal(signature, split.Signature);
    }

    [Fact]
    public void Split_WithoutSignatureLine_HasNoSignature()
    {
        var split = SignedReleaseManifest.Split(Sample.Statement());

        Assert.Null(split.SignatureText);
        Assert.Equal(Sample.Statement(), split.Statement);
    }

    [Theory]
    [InlineData("signature not-base64\n")]
    [InlineData("signature AAAA\n")]
    public void Split_MalformedSignature_HasNoSignatureBytes(string line)
    {
        var split = SignedReleaseManifest.Split([.. Sample.Statement(), .. Encoding.ASCII.GetBytes(line)]);

        Assert.NotNull(split.SignatureText);
        Assert.Null(split.Signature);
    }

    [Fact]
    public void Split_TooLarge_IsRefused() =>
        Assert.Throws<FormatException>(() => SignedReleaseManifest.Split(new byte[SignedReleaseManifest.MaxFileSize + 1]));

    [Fact]
    public void KeyIdOf_IsEightBytesOfTheSha256InHex() =>
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[32])[..8]), ReleaseManifest.KeyIdOf(new byte[32]));

    private static string ReplaceLine(string text, string line)
    {
        var field = line.Split(' ')[0];
        return string.Join('\n', text.Split('\n').Select(l => l.StartsWith(field + " ", StringComparison.Ordinal) ? line.TrimEnd('\n') : l));
    }
}
