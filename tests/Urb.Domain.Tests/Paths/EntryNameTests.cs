using Urb.Domain.Errors;
using Urb.Domain.Paths;

namespace Urb.Domain.Tests.Paths;

public sealed class EntryNameTests
{
    [Theory]
    [InlineData("report.pdf")]
    [InlineData("with space")]
    [InlineData("ünïcødé – 名前")]
    [InlineData("...")]
    [InlineData(".hidden")]
    [InlineData("a:b")]
    public void IsValid_OrdinaryNames_AreAccepted(string name) => Assert.True(EntryName.IsValid(name, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("nul\0byte")]
    public void IsValid_DangerousNames_AreRefusedWithAReason(string? name)
    {
        Assert.False(EntryName.IsValid(name, out var reason));
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void IsValid_NameLongerThanTheLimit_IsRefused()
    {
        Assert.True(EntryName.IsValid(new string('a', EntryName.MaxUtf8Bytes), out _));
        Assert.False(EntryName.IsValid(new string('a', EntryName.MaxUtf8Bytes + 1), out _));
        Assert.False(EntryName.IsValid(new string('é', (EntryName.MaxUtf8Bytes / 2) + 1), out _));
    }

    [Fact]
    public void Validate_BadName_NamesTheField() =>
        Assert.Equal("entries.name", Assert.Throws<InvalidInputException>(() => EntryName.Validate("..", "entries.name")).Field);
}
