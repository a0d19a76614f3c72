using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Domain.Tests;

public sealed class RequestIdTests
{
    [Fact]
    public void Parse_Uuid_ReturnsIt()
    {
        var id = Guid.NewGuid();

        Assert.Equal(id, RequestId.Parse(id.ToString(), "tenant_id"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void Parse_MissingMalformedOrNil_IsInvalidInputNamingTheField(string? text) =>
        Assert.Equal("tenant_id", Assert.Throws<InvalidInputException>(() => RequestId.Parse(text, "tenant_id")).Field);

    [Fact]
    public void ParseOptional_Empty_IsNull() => Assert.Null(RequestId.ParseOptional("", "tenant_id"));
}
