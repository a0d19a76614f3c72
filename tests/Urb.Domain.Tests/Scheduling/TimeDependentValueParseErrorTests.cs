using Urb.Domain.Errors;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Tests.Scheduling;

public sealed class TimeDependentValueParseErrorTests
{
    [Theory]
    [InlineData("", "No value given")]
    [InlineData("   ", "No value given")]
    [InlineData("x", "part 1 (the default): value 'x' is not valid (not a whole number).")]
    [InlineData("99999999999", "value '99999999999' is not valid")]
    [InlineData("1.5", "value '1.5' is not valid")]
    [InlineData("4@1-7/20-6", "Part 1 ('4@1-7/20-6') is the default value and cannot have '@window'")]
    [InlineData(";4@1/8-9", "Part 1 is empty")]
    [InlineData("1;;4@1/8-9", "Part 2 is empty (two ';' in a row)")]
    [InlineData("1;4", "part 2 ('4'): expected 'value@window'.")]
    [InlineData("1;4@@1/8-9", "part 2 ('4@@1/8-9'): more than one '@'.")]
    [InlineData("1;@1/8-9", "part 2 ('@1/8-9'): no value before '@'.")]
    [InlineData("1;4@", "part 2 ('4@'): no window after '@'.")]
    [InlineData("1;x@1/8-9", "part 2 ('x@1/8-9'): value 'x' is not valid")]
    [InlineData("1;4@1-8/20-6", "part 2 ('4@1-8/20-6'): window 1 ('1-8/20-6'): day 8 is not 0–7 or a day name.")]
    [InlineData("1;4@1/8-9;2@1/25-3", "part 3 ('2@1/25-3'): window 1 ('1/25-3'): hour 25 is not 0–24.")]
    [InlineData("1;4@1/8-9;2/30-31", "part 2 ('4@1/8-9'): window 2 ('2/30-31'): hour 30 is not 0–24.")]
    [InlineData("1;4@mon-fri", "window 1 ('mon-fri'): missing '/'")]
    public void Parse_BadText_ThrowsWithWhatAndWhere(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => TimeDependentValue.ParseInt(text, "update_freq_incr"));

        Assert.Equal("update_freq_incr", ex.Field);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ParserThrowsInvalidInput_WrappedWithFieldAndPart()
    {
        var ex = Assert.Throws<InvalidInputException>(() =>
            TimeDependentValue.Parse<int>("1;2@1/8-9", s => s == "2" ? throw new InvalidInputException("inner", "too big") : 1, "quota"));

        Assert.Equal("quota", ex.Field);
        Assert.Contains("part 2 ('2@1/8-9'): value '2' is not valid (too big).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullParser_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => TimeDependentValue.Parse<int>("1", null!));
    }

    [Fact]
    public void Parse_Null_ThrowsInvalidInput()
    {
        Assert.Throws<InvalidInputException>(() => TimeDependentValue.ParseInt(null));
    }
}
