using Urb.Domain.Errors;
using Urb.Domain.Retention;

namespace Urb.Domain.Tests.Retention;

public sealed class ArchivalRuleParseErrorTests
{
    [Theory]
    [InlineData("", "No archival rule given; write one as in 'every 7d keep 30d' or 'every 1m keep forever of full-file'.")]
    [InlineData("   ", "No archival rule given")]
    [InlineData("every", "Archival rule 'every': 'every' needs a period after it, as in 'every 7d'.")]
    [InlineData("every 7d keep", "'keep' needs a period or 'forever' after it, as in 'keep 30d'")]
    [InlineData("every 7d keep 30d of", "'of' needs backup types after it, as in 'of full-file'")]
    [InlineData("keep 30d", "Archival rule 'keep 30d': 'every PERIOD' is missing, as in 'every 7d keep 30d' or 'every 1m keep forever of full-file'.")]
    [InlineData("of file keep 30d", "'every PERIOD' is missing")]
    [InlineData("every 7d", "'keep PERIOD' or 'keep forever' is missing")]
    [InlineData("every 7d of file", "'keep PERIOD' or 'keep forever' is missing")]
    [InlineData("every 7d every 1d keep 3d", "'every' appears twice")]
    [InlineData("every 7d keep 1d keep 2d", "'keep' appears twice")]
    [InlineData("every 7d keep forever keep forever", "'keep' appears twice")]
    [InlineData("every 7d keep 1d of file of image", "'of' appears twice")]
    [InlineData("every forever keep 1d", "'every' needs a period; 'forever' is only for 'keep'")]
    [InlineData("every 7 d keep 30d", "period '7' needs a unit: h (hours), d (days), w (weeks), m (months) or y (years)")]
    [InlineData("every 7d keep 30", "period '30' needs a unit")]
    [InlineData("every 7x keep 30d", "unknown unit 'x' in '7x'; use h (hours), d (days), w (weeks), m (months) or y (years)")]
    [InlineData("every 30min keep 1d", "unknown unit 'min' in '30min'")]
    [InlineData("every 7days keep 1d", "unknown unit 'days' in '7days'")]
    [InlineData("every 7.5d keep 1d", "unknown unit '.5d' in '7.5d'")]
    [InlineData("every 7d, keep 30d", "unknown unit 'd,' in '7d,'")]
    [InlineData("every d keep 1d", "'d' is not a period like 7d (a count and one of h (hours), d (days), w (weeks), m (months) or y (years))")]
    [InlineData("every -7d keep 1d", "'-7d' is not a period like 7d")]
    [InlineData("every keep 1d", "'keep' is not a period like 7d")]
    [InlineData("every ７d keep 1d", "'７d' is not a period like 7d")]
    [InlineData("every 0d keep 1d", "the count in '0d' is not 1–9999")]
    [InlineData("every 000h keep 1d", "the count in '000h' is not 1–9999")]
    [InlineData("every 10000d keep 1d", "the count in '10000d' is not 1–9999")]
    [InlineData("every 7d keep 0d", "the count in '0d' is not 1–9999")]
    [InlineData("every 99999999999999999999d keep 1d", "is not 1–9999")]
    [InlineData("every 7d keep 30d of files", "'files' is not a backup type; expected any, file, image, incremental-file, full-file, incremental-image, full-image")]
    [InlineData("every 7d keep 30d of full-file,full-image", "'full-file,full-image' is not a backup type")]
    [InlineData("every 7d keep 30d of incr", "'incr' is not a backup type")]
    [InlineData("archive every 7d keep 30d", "'archive' is not part of a rule; expected 'every', 'keep' or 'of'")]
    [InlineData("every 7d keep 30d please", "'please' is not part of a rule")]
    [InlineData("7d keep 30d", "'7d' is not part of a rule")]
    public void Parse_BadText_ThrowsWithWhatIsWrong(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => ArchivalRule.Parse(text, "archive_rules"));

        Assert.Equal("archive_rules", ex.Field);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_ThrowsWithDefaultField()
    {
        var ex = Assert.Throws<InvalidInputException>(() => ArchivalRule.Parse(null));

        Assert.Equal("archive", ex.Field);
    }

    [Fact]
    public void Parse_VeryLongBadText_MessageStaysShort()
    {
        var ex = Assert.Throws<InvalidInputException>(() => ArchivalRule.Parse("every 7d keep 30d " + new string('x', 10_000)));

        Assert.True(ex.Message.Length < 300, $"message is {ex.Message.Length} characters long");
    }
}
