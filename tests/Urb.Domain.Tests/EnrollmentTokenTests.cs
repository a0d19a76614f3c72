using System.Security.Cryptography;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Domain.Tests;

public sealed class EnrollmentTokenTests
{
    private static readonly byte[] Pin = SHA256.HashData("installation CA"u8);

    // A valid token's parts: 16-byte id (22 chars), 32-byte secret and pin (43 chars each).
    private static readonly string ValidId = new('A', 22);
    private static readonly string ValidSecret = new string('B', 42) + "A";
    private static readonly string ValidPin = new string('C', 42) + "A";

    [Fact]
    public void Parse_OutputOfCreateToString_RoundTrips()
    {
        var token = EnrollmentToken.Create(Pin);

        var parsed = EnrollmentToken.Parse(token.ToString());

        Assert.Equal(token.Id, parsed.Id);
        Assert.Equal(token.Secret, parsed.Secret);
        Assert.Equal(Pin, parsed.CaPin);
    }

    [Fact]
    public void ToString_CreatedToken_HasPrefixAndFourParts()
    {
        var text = EnrollmentToken.Create(Pin).ToString();

        var parts = text.Split('.');
        Assert.Equal(4, parts.Length);
        Assert.Equal("urbE1", parts[0]);
        Assert.Equal(22, parts[1].Length);
        Assert.Equal(43, parts[2].Length);
        Assert.Equal(43, parts[3].Length);
    }

    [Fact]
    public void Create_CalledTwice_ProducesDifferentIdsAndSecrets()
    {
        var first = EnrollmentToken.Create(Pin);
        var second = EnrollmentToken.Create(Pin);

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.Secret, second.Secret);
        Assert.NotEqual(first.ToString(), second.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Create_PinNot32Bytes_ThrowsArgumentException(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => EnrollmentToken.Create(new byte[length]));
        Assert.Equal("caPin", ex.ParamName);
    }

    [Fact]
    public void Parse_ValidHandBuiltToken_Parses()
    {
        var parsed = EnrollmentToken.Parse($"urbE1.{ValidId}.{ValidSecret}.{ValidPin}");

        Assert.Equal(ValidId, parsed.Id);
        Assert.Equal(ValidSecret, parsed.Secret);
        Assert.Equal(32, parsed.CaPin.Length);
    }

    [Theory]
    [InlineData("  ")]
    [InlineData("\t")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Parse_SurroundingWhitespace_IsTrimmed(string padding)
    {
        var token = EnrollmentToken.Create(Pin);

        var parsed = EnrollmentToken.Parse(padding + token + padding);

        Assert.Equal(token.Id, parsed.Id);
        Assert.Equal(token.Secret, parsed.Secret);
        Assert.Equal(Pin, parsed.CaPin);
    }

    [Fact]
    public void Parse_Null_ThrowsInvalidInputForToken()
    {
        AssertRejected(null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("urbE1")]
    [InlineData("...")]
    [InlineData("urbE1...")]
    public void Parse_EmptyOrBlank_ThrowsInvalidInputForToken(string text)
    {
        AssertRejected(text);
    }

    [Theory]
    [InlineData("urbE2")]
    [InlineData("urbe1")]
    [InlineData("URBE1")]
    [InlineData("urbk1")]
    [InlineData("")]
    [InlineData("urbE1 ")]
    public void Parse_WrongPrefix_ThrowsInvalidInputForToken(string prefix)
    {
        AssertRejected($"{prefix}.{ValidId}.{ValidSecret}.{ValidPin}");
    }

    [Fact]
    public void Parse_ThreeParts_ThrowsInvalidInputForToken()
    {
        AssertRejected($"urbE1.{ValidId}.{ValidSecret}");
    }

    [Fact]
    public void Parse_FiveParts_ThrowsInvalidInputForToken()
    {
        AssertRejected($"urbE1.{ValidId}.{ValidSecret}.{ValidPin}.{ValidPin}");
    }

    [Fact]
    public void Parse_TrailingDot_ThrowsInvalidInputForToken()
    {
        AssertRejected($"urbE1.{ValidId}.{ValidSecret}.{ValidPin}.");
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(1, +1)]
    [InlineData(2, -1)]
    [InlineData(2, +1)]
    [InlineData(3, -1)]
    [InlineData(3, +1)]
    public void Parse_PartOfWrongLength_ThrowsInvalidInputForToken(int partIndex, int delta)
    {
        var parts = new[] { "urbE1", ValidId, ValidSecret, ValidPin };
        parts[partIndex] = delta < 0 ? parts[partIndex][..^1] : parts[partIndex] + "A";

        AssertRejected(string.Join('.', parts));
    }

    [Fact]
    public void Parse_PaddedPart_ThrowsInvalidInputForToken()
    {
        // 16 bytes in padded base64 is 24 characters ending in "=="; the token format is unpadded.
        AssertRejected($"urbE1.{ValidId}==.{ValidSecret}.{ValidPin}");
    }

    [Theory]
    [InlineData(1, '+')]
    [InlineData(1, '/')]
    [InlineData(1, '!')]
    [InlineData(1, '=')]
    [InlineData(1, ' ')]
    [InlineData(2, '+')]
    [InlineData(2, '/')]
    [InlineData(2, '*')]
    [InlineData(2, 'é')]
    [InlineData(3, '+')]
    [InlineData(3, '/')]
    [InlineData(3, '%')]
    [InlineData(3, ' ')]
    public void Parse_NonBase64UrlCharacter_ThrowsInvalidInputForToken(int partIndex, char bad)
    {
        var parts = new[] { "urbE1", ValidId, ValidSecret, ValidPin };
        var chars = parts[partIndex].ToCharArray();
        chars[5] = bad;
        parts[partIndex] = new string(chars);

        AssertRejected(string.Join('.', parts));
    }

    [Fact]
    public void Parse_CustomField_ReportsThatField()
    {
        var ex = Assert.Throws<InvalidInputException>(() => EnrollmentToken.Parse("nonsense", "enrollment_token"));
        Assert.Equal("enrollment_token", ex.Field);
    }

    private static void AssertRejected(string? text)
    {
        var ex = Assert.Throws<InvalidInputException>(() => EnrollmentToken.Parse(text));
        Assert.Equal("token", ex.Field);
    }
}
