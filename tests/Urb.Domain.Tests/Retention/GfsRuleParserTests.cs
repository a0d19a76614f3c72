using Urb.Domain.Errors;
using Urb.Domain.Retention;

namespace Urb.Domain.Tests.Retention;

public sealed class GfsRuleParserTests
{
    [Theory]
    [InlineData("daily 7, weekly 4, monthly 12, yearly 3", 7, 4, 12, 3)]
    [InlineData("keep daily 7, weekly 4, monthly 12, yearly 3", 7, 4, 12, 3)]
    [InlineData("daily=7, weekly=4, monthly=12, yearly=3", 7, 4, 12, 3)]
    [InlineData("daily = 7,weekly =4 ,monthly= 12", 7, 4, 12, 0)]
    [InlineData("yearly 3, daily 7", 7, 0, 0, 3)]
    [InlineData("weekly 4", 0, 4, 0, 0)]
    [InlineData("DAILY 7, Weekly 4", 7, 4, 0, 0)]
    [InlineData("KEEP daily 7", 7, 0, 0, 0)]
    [InlineData("Keep Monthly 12", 0, 0, 12, 0)]
    [InlineData("  daily 7 ,  weekly 4  ", 7, 4, 0, 0)]
    [InlineData("daily  7", 7, 0, 0, 0)]
    [InlineData("daily 007", 7, 0, 0, 0)]
    [InlineData("daily 0, weekly 1", 0, 1, 0, 0)]
    [InlineData("daily 100000", 100_000, 0, 0, 0)]
    [InlineData("keep daily 7, weekly 0, monthly 0, yearly 0", 7, 0, 0, 0)]
    public void Parse_Forms_GiveTheCounts(string text, int daily, int weekly, int monthly, int yearly)
    {
        var rule = GfsRuleParser.Parse(text);

        Assert.NotNull(rule);
        Assert.Equal(new GfsRule(daily, weekly, monthly, yearly), rule);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-")]
    [InlineData(" - ")]
    public void Parse_EmptyOrDash_IsNoRule(string? text)
    {
        Assert.Null(GfsRuleParser.Parse(text));
    }

    [Theory]
    [InlineData("daily 7, weekly 4, monthly 12, yearly 3")]
    [InlineData("weekly 1")]
    [InlineData("yearly=10, daily=1")]
    public void Parse_ToString_RoundTrips(string text)
    {
        var rule = GfsRuleParser.Parse(text)!;

        Assert.StartsWith("keep daily ", rule.ToString(), StringComparison.Ordinal);
        Assert.Equal(rule, GfsRuleParser.Parse(rule.ToString()));
        Assert.Equal(rule.ToString(), GfsRuleParser.Parse(rule.ToString())!.ToString());
    }

    [Theory]
    [InlineData("hourly 24", "'hourly 24' in 'hourly 24' is not a period with a count; write e.g. 'daily 7, weekly 4, monthly 12, yearly 3'.")]
    [InlineData("daily 7, quarterly 4", "'quarterly 4' in 'daily 7, quarterly 4' is not a period with a count")]
    [InlineData("days 7", "'days 7' in 'days 7' is not a period")]
    [InlineData("garbage", "'garbage' in 'garbage' is not a period with a count")]
    [InlineData("daily", "'daily' in 'daily' is not a period with a count")]
    [InlineData("7 daily", "'7 daily' in '7 daily'")]
    [InlineData("daily7", "'daily7' in 'daily7'")]
    [InlineData("daily -1", "'daily -1' in 'daily -1'")]
    [InlineData("daily 1.5", "'daily 1.5'")]
    [InlineData("daily 7 weekly 4", "'daily 7 weekly 4'")]
    [InlineData("daily 7; weekly 4", "'daily 7; weekly 4'")]
    [InlineData("daily 7,", "'' in 'daily 7,' is not a period with a count")]
    [InlineData(",daily 7", "'' in ',daily 7'")]
    [InlineData("daily 7,, weekly 4", "'' in 'daily 7,, weekly 4'")]
    [InlineData("keep", "'keep' in 'keep'")]
    [InlineData("keep keep daily 7", "'keep daily 7' in 'keep keep daily 7'")]
    [InlineData("daily ７", "'daily ７' in 'daily ７' is not a period with a count")]
    [InlineData("daily ٧", "'daily ٧' in 'daily ٧' is not a period with a count")]
    public void Parse_NotAPeriodWithACount_QuotesThePart(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => GfsRuleParser.Parse(text, "retention_gfs"));

        Assert.Equal("retention_gfs", ex.Field);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("daily 7, daily 3", "'daily' is given twice in 'daily 7, daily 3'.")]
    [InlineData("weekly 4, Weekly 4", "'weekly' is given twice")]
    [InlineData("monthly=1, MONTHLY 2", "'monthly' is given twice")]
    [InlineData("yearly 0, daily 1, yearly 0", "'yearly' is given twice")]
    public void Parse_RepeatedPeriod_SaysWhich(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => GfsRuleParser.Parse(text, "retention_gfs"));

        Assert.Equal("retention_gfs", ex.Field);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("daily 100001")]
    [InlineData("weekly 2147483648")]
    [InlineData("yearly 99999999999999999999")]
    public void Parse_HugeCount_IsTooLarge(string text)
    {
        var ex = Assert.Throws<InvalidInputException>(() => GfsRuleParser.Parse(text, "retention_gfs"));

        Assert.Equal("retention_gfs", ex.Field);
        Assert.Contains("is too large", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"in '{text}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("daily 0")]
    [InlineData("daily 0, weekly 0, monthly 0, yearly 0")]
    [InlineData("keep yearly=0")]
    public void Parse_AllZero_KeepsNothing_IsInvalidAndNamesTheField(string text)
    {
        var ex = Assert.Throws<InvalidInputException>(() => GfsRuleParser.Parse(text, "retention_gfs"));

        Assert.Equal("retention_gfs", ex.Field);
        Assert.StartsWith($"'{text.Trim()}' keeps nothing. Keep at least one daily, weekly, monthly or yearly backup", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DefaultField_IsRetentionGfs()
    {
        Assert.Equal("retention_gfs", Assert.Throws<InvalidInputException>(() => GfsRuleParser.Parse("x")).Field);
        Assert.Equal("retention_gfs", Assert.Throws<InvalidInputException>(() => GfsRuleParser.Parse("daily 0")).Field);
    }
}
