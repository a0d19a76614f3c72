using Urb.Domain.Errors;
using Urb.Domain.Retention;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

public sealed class RetentionModelTests
{
    [Theory]
    [InlineData(BackupType.IncrementalFile, 40, 100)]
    [InlineData(BackupType.FullFile, 2, 10)]
    [InlineData(BackupType.IncrementalImage, 4, 30)]
    [InlineData(BackupType.FullImage, 2, 5)]
    public void DefaultPolicy_HasUrBackupsLimits(BackupType type, int min, int max)
    {
        Assert.Equal(new CountLimits(min, max), RetentionPolicy.Default.LimitsFor(type));
        Assert.Null(RetentionPolicy.Default.Gfs);
    }

    [Fact]
    public void CountLimits_MinAboveMax_InvalidInputNamingTheField()
    {
        var e = Assert.Throws<InvalidInputException>(() => new CountLimits(5, 4, "min_file_incr"));

        Assert.Equal("min_file_incr", e.Field);
        Assert.Equal("The min count (5) is above the max count (4).", e.Message);
    }

    [Theory]
    [InlineData(-1, 4)]
    [InlineData(0, -1)]
    public void CountLimits_Negative_InvalidInput(int min, int max)
    {
        var e = Assert.Throws<InvalidInputException>(() => new CountLimits(min, max));

        Assert.Equal("retention", e.Field);
        Assert.Contains("cannot be negative", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetentionPolicy_With_ChangesOneTypeOnly()
    {
        var policy = RetentionPolicy.Default.With(BackupType.FullImage, new CountLimits(1, 2));

        Assert.Equal(new CountLimits(1, 2), policy.LimitsFor(BackupType.FullImage));
        Assert.Equal(new CountLimits(40, 100), policy.LimitsFor(BackupType.IncrementalFile));
        Assert.NotEqual(RetentionPolicy.Default, policy);
        Assert.Equal(RetentionPolicy.Default.With(BackupType.FullImage, new CountLimits(1, 2)), policy);
    }

    [Fact]
    public void RetentionPolicy_WithGfs_KeepsLimits()
    {
        var gfs = new GfsRule(7, 4, 12, 0);

        var policy = RetentionPolicy.Default.With(BackupType.FullFile, new CountLimits(3, 3)) with { Gfs = gfs };

        Assert.Equal(gfs, policy.Gfs);
        Assert.Equal(new CountLimits(3, 3), policy.LimitsFor(BackupType.FullFile));
        Assert.Equal(gfs, policy.With(BackupType.FullImage, new CountLimits(1, 1)).Gfs);
    }

    [Theory]
    [InlineData(BackupType.IncrementalFile, BackupSide.File, "incremental file")]
    [InlineData(BackupType.FullFile, BackupSide.File, "full file")]
    [InlineData(BackupType.IncrementalImage, BackupSide.Image, "incremental image")]
    [InlineData(BackupType.FullImage, BackupSide.Image, "full image")]
    public void BackupType_SideAndWords(BackupType type, BackupSide side, string words)
    {
        Assert.Equal(side, type.Side());
        Assert.Equal(words, type.Describe());
        Assert.Contains(type, side.Types());
        Assert.True(BackupTypes.Any.Includes(type));
        Assert.True(type.AsSet().Includes(type));
    }

    [Fact]
    public void BackupTypes_Groups()
    {
        Assert.True(BackupTypes.File.Includes(BackupType.FullFile));
        Assert.False(BackupTypes.File.Includes(BackupType.FullImage));
        Assert.True(BackupTypes.Image.Includes(BackupType.IncrementalImage));
        Assert.False(BackupTypes.None.Includes(BackupType.IncrementalFile));
        Assert.Equal(BackupSide.File, BackupSide.Image.Other());
    }

    [Fact]
    public void BackupRecord_NegativeBytes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackupRecord(Guid.NewGuid(), BackupType.FullFile, Day0, -1));
    }

    [Fact]
    public void BackupRecord_UnknownType_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackupRecord(Guid.NewGuid(), (BackupType)9, Day0, 1));
    }

    [Fact]
    public void BackupRecord_NeverArchived_NotArchived()
    {
        Assert.False(One(BackupType.FullFile, Day0).IsArchivedAt(Day0));
    }

    [Fact]
    public void ArchiveMark_Manual_NoEndAndNoRule()
    {
        var mark = ArchiveMark.Manual(Day0);

        Assert.True(mark.IsManual);
        Assert.Null(mark.RuleId);
        Assert.Null(mark.Until);
        Assert.True(mark.IsActiveAt(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void ArchiveMark_ByRule_ActiveUpToAndIncludingUntil()
    {
        var mark = ArchiveMark.ByRule("every 7d keep 30d", Day0, Day0.AddDays(30));

        Assert.False(mark.IsManual);
        Assert.True(mark.IsActiveAt(Day0.AddDays(30)));
        Assert.False(mark.IsActiveAt(Day0.AddDays(30).AddTicks(1)));
    }

    [Fact]
    public void ArchiveMark_ByRuleForever_NeverEnds()
    {
        Assert.True(ArchiveMark.ByRule("r", Day0, null).IsActiveAt(DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ArchiveMark_ByRuleWithoutId_Throws(string id)
    {
        Assert.Throws<ArgumentException>(() => ArchiveMark.ByRule(id, Day0, null));
    }

    [Fact]
    public void ArchiveMark_EndsBeforeItStarts_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ArchiveMark.ByRule("r", Day0, Day0.AddTicks(-1)));
    }

    [Fact]
    public void ArchiveMark_Describe_InTheServersZone()
    {
        var mark = ArchiveMark.ByRule("every 1m keep 1y", Day0, new DateTimeOffset(2024, 7, 1, 1, 30, 0, TimeSpan.Zero));

        Assert.Equal("archived by rule 'every 1m keep 1y' until 2024-06-30 21:30 -04:00", mark.Describe(NewYork));
    }

    [Fact]
    public void CleanupContext_FromClock_TakesNowAndZone()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Day0);
        clock.SetLocalTimeZone(Berlin);

        var context = CleanupContext.FromClock(clock, 1000);

        Assert.Equal(Day0, context.Now);
        Assert.Equal(Berlin.Id, context.TimeZone.Id);
        Assert.Equal(1000, context.StorageCapacityBytes);
    }

    [Fact]
    public void CleanupContext_NegativeCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CleanupContext(Day0, TimeZoneInfo.Utc, -1));
    }
}
