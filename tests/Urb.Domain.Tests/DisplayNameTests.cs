using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Domain.Tests;

public sealed class DisplayNameTests
{
    [Theory]
    [InlineData("Acme GmbH")]
    [InlineData("  padded  ")]
    [InlineData("Ünïcødé 株式会社")]
    public void Validate_PrintableNames_AreTrimmedAndKept(string name)
    {
        Assert.Equal(name.Trim(), DisplayName.Validate(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    [InlineData("nul\0")]
    public void Validate_EmptyOrControlCharacters_IsInvalidInput(string? name)
    {
        var e = Assert.Throws<InvalidInputException>(() => DisplayName.Validate(name, "name", "A tenant name"));
        Assert.Equal("name", e.Field);
        Assert.StartsWith("A tenant name", e.Message);
    }

    [Fact]
    public void Validate_TooLong_IsInvalidInput()
    {
        Assert.Throws<InvalidInputException>(() => DisplayName.Validate(new string('x', DisplayName.MaxLength + 1)));
        Assert.Equal(DisplayName.MaxLength, DisplayName.Validate(new string('x', DisplayName.MaxLength)).Length);
    }
}
