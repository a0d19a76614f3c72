using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Domain.Tests;

public sealed class ApiKeyTests
{
    // A valid key's parts: 12-byte id (16 chars), 32-byte secret (43 chars).
    private static readonly string ValidId = new('A', 16);
    private static readonly string ValidSecret = new string('B', 42) + "A";

    [Fact]
    public void Parse_OutputOfCreateToString_RoundTrips()
    {
        var key = ApiKey.Create();

        var parsed = ApiKey.Parse(key.ToString());

        Assert.Equal(key, parsed);
        Assert.Equal(key.Id, parsed.Id);
        Assert.Equal(key.Secret, parsed.Secret);
    }

    [Fact]
    public void ToString_CreatedKey_HasPrefixAndThreeParts()
    {
        var parts = ApiKey.Create().ToString().Split('.');

        Assert.Equal(3, parts.Length);
        Assert.Equal("urbk1", parts[0]);
        Assert.Equal(16, parts[1].Length);
        Assert.Equal(43, parts[2].Length);
    }

    [Fact]
    public void Create_CalledTwice_ProducesDifferentKeys()
    {
        var first = ApiKey.Create();
        var second = ApiKey.Create();

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.Secret, second.Secret);
    }

    [Fact]
    public void Parse_SurroundingWhitespace_IsTrimmed()
    {
        var key = ApiKey.Create();

        Assert.Equal(key, ApiKey.Parse($" \t{key}\r\n"));
    }

    [Fact]
    public void Parse_ValidHandBuiltKey_Parses()
    {
        var parsed = ApiKey.Parse($"urbk1.{ValidId}.{ValidSecret}");

        Assert.Equal(new ApiKey(ValidId, ValidSecret), parsed);
    }

    [Fact]
    public void Parse_Null_ThrowsUnauthenticated()
    {
        Assert.Throws<UnauthenticatedException>(() => ApiKey.Parse(null));
    }

    public static TheoryData<string> MalformedKeys => new()
    {
        "",
        "   ",
        "urbk1",
        "urbk1..",
        $"urbk2.{ValidId}.{ValidSecret}",
        $"URBK1.{ValidId}.{ValidSecret}",
        $"urbE1.{ValidId}.{ValidSecret}",
        $"urbk1.{ValidId}",
        $"urbk1.{ValidId}.{ValidSecret}.{ValidSecret}",
        $"urbk1.{ValidId}.{ValidSecret}.",
        $"urbk1.{ValidId[..^1]}.{ValidSecret}",
        $"urbk1.{ValidId}A.{ValidSecret}",
        $"urbk1.{ValidId}.{ValidSecret[..^1]}",
        $"urbk1.{ValidId}.{ValidSecret}A",
        $"urbk1.{ValidSecret}.{ValidId}",
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void Parse_MalformedKey_ThrowsUnauthenticated(string text)
    {
        Assert.Throws<UnauthenticatedException>(() => ApiKey.Parse(text));
    }

    [Theory]
    [InlineData(1, '+')]
    [InlineData(1, '/')]
    [InlineData(1, '!')]
    [InlineData(2, '=')]
    [InlineData(2, ' ')]
    [InlineData(2, '+')]
    public void Parse_NonBase64UrlCharacter_ThrowsUnauthenticated(int partIndex, char bad)
    {
        var parts = new[] { "urbk1", ValidId, ValidSecret };
        var chars = parts[partIndex].ToCharArray();
        chars[5] = bad;
        parts[partIndex] = new string(chars);

        Assert.Throws<UnauthenticatedException>(() => ApiKey.Parse(string.Join('.', parts)));
    }

    [Fact]
    public void Parse_EnrollmentToken_ThrowsUnauthenticated()
    {
        var token = EnrollmentToken.Create(new byte[32]).ToString();

        Assert.Throws<UnauthenticatedException>(() => ApiKey.Parse(token));
    }
}
