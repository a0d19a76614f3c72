using Urb.Domain.Errors;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Tests.Scheduling;

public sealed class BackupWindowParseErrorTests
{
    [Theory]
    [InlineData("1-5/8-19;6,8/0-24", "window 2 ('6,8/0-24'): day 8 is not 0–7 or a day name.")]
    [InlineData("funday/0-24", "window 1 ('funday/0-24'): day 'funday' is not 0–7 or a day name.")]
    [InlineData("mon-fry/8-9", "day 'fry' is not 0–7 or a day name")]
    [InlineData("monda/8-9", "day 'monda' is not 0–7 or a day name")]
    [InlineData("99999/8-9", "day '99999' is not 0–7 or a day name")]
    [InlineData("-1/8-9", "day range '-1' is missing its first day")]
    [InlineData("1-/8-9", "day range '1-' is missing its last day")]
    [InlineData("1-2-3/8-9", "day range '1-2-3' has more than one '-'")]
    [InlineData("1,,2/8-9", "empty day in '1,,2'")]
    [InlineData("1,/8-9", "empty day in '1,'")]
    [InlineData("1/8-25", "window 1 ('1/8-25'): hour 25 is not 0–24.")]
    [InlineData("1/8:60-9", "minute 60 in '8:60' is not 0–59")]
    [InlineData("1/22-24:30", "'24:30' is past the end of the day; 24:00 is the latest")]
    [InlineData("1/8:5-9", "'8:5' is not a time like 8 or 8:30 (minutes are two digits)")]
    [InlineData("1/8:-9", "'8:' is not a time like 8 or 8:30 (minutes are two digits)")]
    [InlineData("1/8:00:00-9", "'8:00:00' is not a time like 8 or 8:30 (minutes are two digits)")]
    [InlineData("1-5", "window 1 ('1-5'): missing '/' between the days and the hours")]
    [InlineData("1-5/8-19;6,7", "window 2 ('6,7'): missing '/'")]
    [InlineData("1-5/", "window 1 ('1-5/'): no hours after '/'")]
    [InlineData("/8-19", "window 1 ('/8-19'): no days before '/'")]
    [InlineData("1/8-9/10", "more than one '/'; separate windows with ';'")]
    [InlineData("1/8", "hour range '8' needs a start and an end, as in 8-19")]
    [InlineData("1/8-", "hour range '8-' is missing its end")]
    [InlineData("1/-9", "hour range '-9' is missing its start")]
    [InlineData("1/8-9-10", "hour range '8-9-10' has more than one '-'")]
    [InlineData("1/8-9,", "empty hour range in '8-9,'")]
    [InlineData("1/8-8", "hour range '8-8' is empty (start equals end)")]
    [InlineData("1/24-6", "hour range '24-6' starts at 24:00")]
    [InlineData("1/8h-9", "'8h' is not a time like 8 or 8:30")]
    [InlineData("1/8-19x", "'19x' is not a time like 8 or 8:30")]
    [InlineData("1/８-9", "'８' is not a time like 8 or 8:30")]
    [InlineData("1!/8-9", "day '1!' is not 0–7 or a day name")]
    [InlineData("1/8-9;;2/8-9", "window 2 is empty (a leading ';' or two ';' in a row)")]
    [InlineData(";1/8-9", "window 1 is empty")]
    [InlineData(";", "window 1 is empty")]
    [InlineData("1/8-9;;", "window 2 is empty")]
    [InlineData("**", "window 1 ('**'): missing '/'")]
    [InlineData("*;1/8-9", "window 1 ('*'): missing '/'")]
    public void Parse_BadText_ThrowsWithWhatAndWhere(string text, string fragment)
    {
        var ex = Assert.Throws<InvalidInputException>(() => BackupWindow.Parse(text, "backup_window"));

        Assert.Equal("backup_window", ex.Field);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DefaultField_IsWindow()
    {
        var ex = Assert.Throws<InvalidInputException>(() => BackupWindow.Parse("x"));

        Assert.Equal("window", ex.Field);
    }

    [Fact]
    public void Parse_VeryLongBadText_MessageStaysShort()
    {
        var text = "1/8-9;" + new string('x', 10_000);

        var ex = Assert.Throws<InvalidInputException>(() => BackupWindow.Parse(text));

        Assert.True(ex.Message.Length < 300, $"message is {ex.Message.Length} characters long");
    }
}
