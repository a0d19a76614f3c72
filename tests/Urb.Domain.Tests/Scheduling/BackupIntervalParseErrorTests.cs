using Urb.Domain.Errors;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Tests.Scheduling;

public sealed class BackupIntervalParseErrorTests
{
    [Theory]
    [InlineData("5", "'5' has no unit: write e.g. 5h (min, h, d or w)")]
    [InlineData("50", "'50' has no unit: write e.g. 50h (min, h, d or w)")]
    [InlineData("300", "'300' has no unit")]
    [InlineData("0", "'0' has no unit")]
    public void ParseOne_MissingUnit_SaysSo(string text, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => BackupInterval.ParseOne(text));

        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5x", "'5x' has an unknown unit 'x': use min, h, d or w")]
    [InlineData("1m", "'1m' is ambiguous: write 1min for minutes, or days (30d) for about a month")]
    [InlineData("5s", "unknown unit 's'")]
    [InlineData("1y", "unknown unit 'y'")]
    [InlineData("2Y", "'2Y' has an unknown unit 'y'")]
    [InlineData("0x", "unknown unit 'x'")]
    [InlineData("5%", "unknown unit '%'")]
    public void ParseOne_UnknownUnit_NamesIt(string text, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => BackupInterval.ParseOne(text));

        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0min")]
    [InlineData("0h")]
    [InlineData("00d")]
    [InlineData("0w")]
    public void ParseOne_Zero_SaysZeroAndPointsToOff(string text)
    {
        var ex = Assert.Throws<FormatException>(() => BackupInterval.ParseOne(text));

        Assert.Contains($"'{text}' is zero", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'off'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3661d")]
    [InlineData("523w")]
    [InlineData("87841h")]
    [InlineData("5270401min")]
    [InlineData("9223372036854775807min")]
    [InlineData("99999999999999999999d")]
    public void ParseOne_TooLong_SaysTheLimit(string text)
    {
        var ex = Assert.Throws<FormatException>(() => BackupInterval.ParseOne(text));

        Assert.Equal($"'{text}' is longer than 3660 days", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("h")]
    [InlineData("abc")]
    [InlineData("five hours")]
    [InlineData("1.5h")]
    [InlineData("1,5h")]
    [InlineData("+5h")]
    [InlineData("-5h")]
    [InlineData("5 h")]
    [InlineData("5hh")]
    [InlineData("h5")]
    [InlineData("offf")]
    [InlineData("５h")]
    public void ParseOne_Garbage_SaysWhatIsExpected(string text)
    {
        var ex = Assert.Throws<FormatException>(() => BackupInterval.ParseOne(text));

        Assert.Equal($"'{text.Trim()}' is not an interval: expected a whole number with a unit (90min, 5h, 30d, 2w), or 'off'", ex.Message);
    }

    [Theory]
    [InlineData("5x", "part 1 (the default): value '5x' is not valid ('5x' has an unknown unit 'x': use min, h, d or w).")]
    [InlineData("5h;0h@1-5/8-18", "part 2 ('0h@1-5/8-18'): value '0h' is not valid ('0h' is zero")]
    [InlineData("5h;1h@8-18/1-5", "part 2 ('1h@8-18/1-5')")]
    [InlineData("5h;1h", "part 2 ('1h'): expected 'value@window'.")]
    [InlineData("1h@1-5/8-18", "Part 1 ('1h@1-5/8-18') is the default value and cannot have '@window'")]
    [InlineData("5h;@1-5/8-18", "no value before '@'")]
    [InlineData("5h;1h@", "no window after '@'")]
    [InlineData("", "No value given")]
    [InlineData("5h;;1h@1/8-9", "two ';' in a row")]
    public void Parse_Bad_NamesTheFieldAndThePart(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => BackupInterval.Parse(text, "incremental_file_interval"));

        Assert.Equal("incremental_file_interval", ex.Field);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DefaultField_IsInterval()
    {
        var ex = Assert.Throws<InvalidInputException>(() => BackupInterval.Parse("soon"));

        Assert.Equal("interval", ex.Field);
        Assert.Contains("'soon' is not an interval", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_IsNoValue()
    {
        var ex = Assert.Throws<InvalidInputException>(() => BackupInterval.Parse(null, "full_file_interval"));

        Assert.Equal("full_file_interval", ex.Field);
    }
}
