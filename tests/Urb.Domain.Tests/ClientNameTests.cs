using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Domain.Tests;

public sealed class ClientNameTests
{
    [Theory]
    [InlineData("laptop1")]
    [InlineData("web-01.example_com")]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData("A.B-C_D")]
    [InlineData("a..b")]
    [InlineData("host.")]
    public void Validate_AllowedName_ReturnsIt(string name)
    {
        Assert.Equal(name, ClientName.Validate(name));
    }

    [Fact]
    public void Validate_NameOfMaxLength_IsAccepted()
    {
        var name = "a" + new string('b', ClientName.MaxLength - 1);
        Assert.Equal(64, name.Length);

        Assert.Equal(name, ClientName.Validate(name));
    }

    [Fact]
    public void Validate_NameLongerThanMax_Throws()
    {
        var name = new string('a', ClientName.MaxLength + 1);

        Assert.Throws<InvalidInputException>(() => ClientName.Validate(name));
    }

    [Fact]
    public void Validate_VeryLongName_ThrowsWithTruncatedMessage()
    {
        var name = new string('a', 10_000);

        var ex = Assert.Throws<InvalidInputException>(() => ClientName.Validate(name));

        Assert.True(ex.Message.Length < 400, $"message is {ex.Message.Length} characters long");
    }

    [Theory]
    [InlineData("  laptop1  ", "laptop1")]
    [InlineData("\tlaptop1\n", "laptop1")]
    [InlineData("laptop1\r\n", "laptop1")]
    public void Validate_SurroundingWhitespace_IsTrimmed(string name, string expected)
    {
        Assert.Equal(expected, ClientName.Validate(name));
    }

    [Fact]
    public void Validate_MaxLengthNameWithSurroundingSpaces_IsAcceptedTrimmed()
    {
        var name = new string('x', ClientName.MaxLength);

        Assert.Equal(name, ClientName.Validate($"  {name}  "));
    }

    [Fact]
    public void Validate_Null_Throws()
    {
        Assert.Throws<InvalidInputException>(() => ClientName.Validate(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Validate_EmptyOrWhitespace_Throws(string name)
    {
        Assert.Throws<InvalidInputException>(() => ClientName.Validate(name));
    }

    [Theory]
    [InlineData(".hidden")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("-rf")]
    [InlineData("-")]
    [InlineData("_private")]
    public void Validate_BadFirstCharacter_Throws(string name)
    {
        Assert.Throws<InvalidInputException>(() => ClientName.Validate(name));
    }

    [Theory]
    [InlineData("my laptop")]
    [InlineData("a\tb")]
    [InlineData("a\nb")]
    [InlineData("laptop1\n\nx")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("../x")]
    [InlineData("..\\x")]
    [InlineData("x/../../etc")]
    [InlineData("x/..")]
    [InlineData("/etc")]
    [InlineData("C:x")]
    [InlineData("a:b")]
    [InlineData("a*b")]
    [InlineData("a?b")]
    [InlineData("a%2fb")]
    [InlineData("a\0b")]
    [InlineData("a@b")]
    public void Validate_ForbiddenCharacters_Throws(string name)
    {
        Assert.Throws<InvalidInputException>(() => ClientName.Validate(name));
    }

    [Theory]
    [InlineData("café")]
    [InlineData("ноутбук")]
    [InlineData("笔记本")]
    [InlineData("laptop\u200B")]       // zero-width space (not trimmed)
    [InlineData("ｌａｐｔｏｐ")]         // full-width letters
    [InlineData("laptop١")]            // Arabic-Indic digit one
    [InlineData("\u212Aelvin")]        // Kelvin sign, folds to 'k' under case-insensitive matching
    [InlineData("laptop😀")]
    public void Validate_NonAscii_Throws(string name)
    {
        Assert.Throws<InvalidInputException>(() => ClientName.Validate(name));
    }

    [Fact]
    public void Validate_Rejected_ReportsGivenField()
    {
        var ex = Assert.Throws<InvalidInputException>(() => ClientName.Validate("../x", "client.name"));

        Assert.Equal("client.name", ex.Field);
    }

    [Fact]
    public void Validate_RejectedWithoutField_ReportsName()
    {
        var ex = Assert.Throws<InvalidInputException>(() => ClientName.Validate(""));

        Assert.Equal("name", ex.Field);
    }

    [Fact]
    public void Validate_Rejected_MessageQuotesTrimmedInput()
    {
        var ex = Assert.Throws<InvalidInputException>(() => ClientName.Validate("  my laptop  "));

        Assert.Contains("'my laptop'", ex.Message, StringComparison.Ordinal);
    }
}
