using Urb.Domain.Scheduling;
using static Urb.Domain.Tests.Scheduling.Week;

namespace Urb.Domain.Tests.Scheduling;

public sealed class TimeDependentValueTests
{
    [Fact]
    public void ValueAt_NightRule_WrapsMidnight()
    {
        var v = TimeDependentValue.ParseInt("1;4@1-7/20-6");

        Assert.Equal(1, v.ValueAt(At(Wed, 12)));
        Assert.Equal(4, v.ValueAt(At(Wed, 20)));
        Assert.Equal(4, v.ValueAt(At(Thu, 5, 59)));
        Assert.Equal(1, v.ValueAt(At(Thu, 6)));
        Assert.Equal(4, v.ValueAt(At(Mon, 3))); // Sunday night runs into Monday
    }

    [Fact]
    public void ValueAt_WorkingHoursRule_DefaultOutside()
    {
        var v = TimeDependentValue.ParseInt("60;10@Mon-Fri/8-18");

        Assert.Equal(10, v.ValueAt(At(Fri, 17, 59)));
        Assert.Equal(60, v.ValueAt(At(Fri, 18)));
        Assert.Equal(60, v.ValueAt(At(Sat, 10)));
    }

    [Fact]
    public void ValueAt_NoRules_Default()
    {
        var v = TimeDependentValue.ParseInt(" 42 ");

        Assert.Equal(42, v.ValueAt(At(Tue, 9)));
        Assert.Empty(v.Rules);
        Assert.Equal(42, v.Default);
    }

    [Fact]
    public void ValueAt_NestedWindows_MostSpecificWins()
    {
        // Week-wide, then weekdays, then a lunch hour: order must not matter.
        var v = TimeDependentValue.ParseInt("0;3@1-5/12:00-13:00 ;1@1-7/0-24;2@1-5/8-18");

        Assert.Equal(3, v.ValueAt(At(Tue, 12, 30)));
        Assert.Equal(2, v.ValueAt(At(Tue, 9)));
        Assert.Equal(1, v.ValueAt(At(Tue, 20)));
        Assert.Equal(1, v.ValueAt(At(Sun, 12, 30)));
    }

    [Theory]
    [InlineData("0;1@1-5/8-18;2@1-5/10-12")]
    [InlineData("0;2@1-5/10-12;1@1-5/8-18")]
    public void ValueAt_InnerWindowEitherOrder_InnerWins(string text)
    {
        var v = TimeDependentValue.ParseInt(text);

        Assert.Equal(2, v.ValueAt(At(Mon, 11)));
        Assert.Equal(1, v.ValueAt(At(Mon, 9)));
        Assert.Equal(0, v.ValueAt(At(Mon, 19)));
    }

    [Fact]
    public void ValueAt_TieInSize_LaterRuleWins()
    {
        var v = TimeDependentValue.ParseInt("0;5@1/8-10;7@1/9-11");

        Assert.Equal(5, v.ValueAt(At(Mon, 8)));
        Assert.Equal(7, v.ValueAt(At(Mon, 9)));
        Assert.Equal(7, v.ValueAt(At(Mon, 10)));
    }

    [Fact]
    public void ValueAt_IdenticalWindows_LaterRuleWins()
    {
        Assert.Equal(9, TimeDependentValue.ParseInt("0;8@*;9@*").ValueAt(At(Thu, 4)));
    }

    [Fact]
    public void Parse_ContinuationPart_ExtendsPreviousRuleWindow()
    {
        var v = TimeDependentValue.ParseInt("1;5@1-5/8-9;6/10-12;7@0/1-2");

        Assert.Equal(2, v.Rules.Count);
        Assert.Equal(5, v.ValueAt(At(Mon, 8)));
        Assert.Equal(5, v.ValueAt(At(Sat, 11)));
        Assert.Equal(7, v.ValueAt(At(Sun, 1)));
        Assert.Equal(1, v.ValueAt(At(Sat, 9)));
        Assert.Equal(5 * 60 + 120, v.Rules[0].Window.MinutesPerWeek);
    }

    [Fact]
    public void Parse_TrailingSemicolonAndSpaces_Tolerated()
    {
        var v = TimeDependentValue.ParseInt(" 60 ; 10 @ Mon-Fri/8-18 ; ");

        Assert.Equal(10, v.ValueAt(At(Mon, 9)));
        Assert.Equal(60, v.ValueAt(At(Mon, 19)));
    }

    [Fact]
    public void Parse_NegativeInt_Accepted()
    {
        Assert.Equal(-1, TimeDependentValue.ParseInt("-1").Default);
    }

    [Fact]
    public void Parse_CustomValueParser_ServesOtherTypes()
    {
        var v = TimeDependentValue.Parse("1h;15m@1-5/8-18", s => s.EndsWith('h')
            ? TimeSpan.FromHours(int.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture))
            : TimeSpan.FromMinutes(int.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.FromMinutes(15), v.ValueAt(At(Tue, 9)));
        Assert.Equal(TimeSpan.FromHours(1), v.ValueAt(At(Tue, 19)));
    }

    [Fact]
    public void Parse_ValuesAreTrimmedBeforeTheParser()
    {
        var seen = new List<string>();

        TimeDependentValue.Parse(" a ; b @1/8-9", s => { seen.Add(s); return s; });

        Assert.Equal(["a", "b"], seen);
    }
}
