using Urb.Domain.Retention;

namespace Urb.Domain.Tests.Retention;

public sealed class ArchivalRuleParseTests
{
    [Theory]
    [InlineData("every 7d keep 30d", "every 7d keep 30d")]
    [InlineData("keep 30d every 7d", "every 7d keep 30d")]
    [InlineData("EVERY 7D KEEP 30D", "every 7d keep 30d")]
    [InlineData("  every   7d\tkeep  30d ", "every 7d keep 30d")]
    [InlineData("every 07d keep 030d", "every 7d keep 30d")]
    [InlineData("every 7d keep forever", "every 7d keep forever")]
    [InlineData("every 7d keep FOREVER", "every 7d keep forever")]
    [InlineData("every 12h keep 3d", "every 12h keep 3d")]
    [InlineData("every 2w keep 6m", "every 2w keep 6m")]
    [InlineData("every 1M keep 1Y", "every 1m keep 1y")]
    [InlineData("every 9999y keep 9999y", "every 9999y keep 9999y")]
    [InlineData("every 1m keep 1y of full-file", "every 1m keep 1y of full-file")]
    [InlineData("of image every 2w keep 6m", "every 2w keep 6m of image")]
    [InlineData("every 1d of file keep 1w", "every 1d keep 1w of file")]
    [InlineData("every 1d keep 1w of any", "every 1d keep 1w")]
    [InlineData("every 1d keep 1w of ANY", "every 1d keep 1w")]
    public void Parse_Valid_IsCanonical(string text, string canonical)
    {
        var rule = ArchivalRule.Parse(text);

        Assert.Equal(canonical, rule.ToString());
        Assert.Equal(canonical, rule.Id);
        Assert.Equal(rule, ArchivalRule.Parse(canonical));
    }

    [Theory]
    [InlineData("any", BackupTypes.Any)]
    [InlineData("file", BackupTypes.File)]
    [InlineData("image", BackupTypes.Image)]
    [InlineData("incremental-file", BackupTypes.IncrementalFile)]
    [InlineData("full-file", BackupTypes.FullFile)]
    [InlineData("incremental-image", BackupTypes.IncrementalImage)]
    [InlineData("full-image", BackupTypes.FullImage)]
    [InlineData("incr_file", BackupTypes.IncrementalFile)]
    [InlineData("full_file", BackupTypes.FullFile)]
    [InlineData("incr_image", BackupTypes.IncrementalImage)]
    [InlineData("full_image", BackupTypes.FullImage)]
    [InlineData("INCR-FILE", BackupTypes.IncrementalFile)]
    [InlineData("incremental_image", BackupTypes.IncrementalImage)]
    [InlineData("Full-Image", BackupTypes.FullImage)]
    public void Parse_Scope_NamesAndUrBackupSpellings(string name, BackupTypes scope)
    {
        Assert.Equal(scope, ArchivalRule.Parse($"every 7d keep 30d of {name}").Scope);
    }

    [Fact]
    public void Parse_Parts_AreThePeriodsAndScope()
    {
        var rule = ArchivalRule.Parse("every 7d keep 30d of full-file");

        Assert.Equal(new CalendarPeriod(7, PeriodUnit.Day), rule.Every);
        Assert.Equal(new CalendarPeriod(30, PeriodUnit.Day), rule.KeepFor);
        Assert.Equal(BackupTypes.FullFile, rule.Scope);
    }

    [Fact]
    public void Parse_KeepForever_HasNoEnd()
    {
        var rule = ArchivalRule.Parse("every 1y keep forever");

        Assert.Null(rule.KeepFor);
        Assert.Null(rule.UntilFor(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void UntilFor_AddsTheKeepPeriod()
    {
        var rule = ArchivalRule.Parse("every 7d keep 30d");

        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(30), rule.UntilFor(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Constructor_NoTypes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArchivalRule(new CalendarPeriod(1, PeriodUnit.Day), null, BackupTypes.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArchivalRule(new CalendarPeriod(1, PeriodUnit.Day), null, (BackupTypes)16));
    }

    [Fact]
    public void Constructor_DefaultPeriod_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ArchivalRule(default, null));
    }
}
