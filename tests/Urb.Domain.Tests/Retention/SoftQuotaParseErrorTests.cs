using Urb.Domain.Errors;
using Urb.Domain.Retention;

namespace Urb.Domain.Tests.Retention;

public sealed class SoftQuotaParseErrorTests
{
    [Theory]
    [InlineData("G", "Quota 'G' is not valid: it does not start with a number.")]
    [InlineData("%", "Quota '%' is not valid: it does not start with a number.")]
    [InlineData("abc", "it does not start with a number")]
    [InlineData("%10", "it does not start with a number")]
    [InlineData("２０G", "it does not start with a number")]
    [InlineData("-5G", "Quota '-5G' is not valid: a quota cannot be negative.")]
    [InlineData("-1%", "a quota cannot be negative")]
    [InlineData("+5G", "write the number without a sign")]
    [InlineData("1-2G", "'1-2' is not a number like 20 or 1.5")]
    [InlineData("1.2.3G", "'1.2.3' is not a number like 20 or 1.5")]
    [InlineData(".5G", "'.5' is not a number like 20 or 1.5")]
    [InlineData("5.G", "'5.' is not a number like 20 or 1.5")]
    [InlineData("1,5G", "write fractions with '.', not ','")]
    [InlineData("101%", "Quota '101%' is not valid: a percentage is at most 100%.")]
    [InlineData("100.01%", "a percentage is at most 100%")]
    [InlineData("1.5", "a size without a unit is whole bytes")]
    [InlineData("1.5B", "a size without a unit is whole bytes")]
    [InlineData("20X", "unknown unit 'X'; expected a size like 500M, 20G or 2T (powers of 1024), a percentage like 10%, or '-' for none")]
    [InlineData("20P", "unknown unit 'P'")]
    [InlineData("20GG", "unknown unit 'GG'")]
    [InlineData("20Gx", "unknown unit 'Gx'")]
    [InlineData("20GiBs", "unknown unit 'GiBs'")]
    [InlineData("20 G B", "unknown unit 'G B'")]
    [InlineData("20G 5M", "unknown unit 'G 5M'")]
    [InlineData("1e3", "unknown unit 'e3'")]
    [InlineData("10%%", "unknown unit '%%'")]
    [InlineData("10 percent", "unknown unit 'percent'")]
    [InlineData("--", "a quota cannot be negative")]
    [InlineData("8388608T", "Quota '8388608T' is not valid: it is too large (at most 8 EiB).")]
    [InlineData("9223372036854775808", "it is too large (at most 8 EiB)")]
    [InlineData("99999999999999999999999999999999G", "it is too large")]
    [InlineData("9999999999999999999999999999T", "it is too large")]
    public void Parse_BadText_ThrowsWithTheProblem(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => SoftQuota.Parse(text, "client_quota"));

        Assert.Equal("client_quota", ex.Field);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DefaultField_IsQuota()
    {
        Assert.Equal("quota", Assert.Throws<InvalidInputException>(() => SoftQuota.Parse("x")).Field);
    }

    [Fact]
    public void Parse_VeryLongBadText_MessageStaysShort()
    {
        var ex = Assert.Throws<InvalidInputException>(() => SoftQuota.Parse("1" + new string('x', 10_000)));

        Assert.True(ex.Message.Length < 300, $"message is {ex.Message.Length} characters long");
    }
}
