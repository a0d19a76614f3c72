using Urb.Domain.Retention;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

public sealed class ArchiveCommandsTests
{
    [Fact]
    public void ArchivedManually_ReplacesARuleArchive_AndLastsUntilUnarchived()
    {
        var byRule = One(BackupType.FullFile, Day0, archive: ArchiveMark.ByRule("r", Day0, Day0.AddDays(1)));

        var manual = byRule.ArchivedManually(Day0.AddHours(5));

        Assert.Equal(byRule.Id, manual.Id);
        Assert.True(manual.Archive!.IsManual);
        Assert.Equal(Day0.AddHours(5), manual.Archive.ArchivedAt);
        Assert.True(manual.IsArchivedAt(Day0.AddYears(50)));
    }

    [Fact]
    public void Unarchived_ClearsTheMark()
    {
        var manual = One(BackupType.FullImage, Day0, 7, ArchiveMark.Manual(Day0));

        var plain = manual.Unarchived();

        Assert.Null(plain.Archive);
        Assert.False(plain.IsArchivedAt(Day0));
        Assert.Equal((manual.Id, manual.Type, manual.Finished, manual.ChargedBytes), (plain.Id, plain.Type, plain.Finished, plain.ChargedBytes));
    }

    [Fact]
    public void Unarchived_ThenCleanup_BackupCanGo()
    {
        var manual = One(BackupType.FullImage, Day0, archive: ArchiveMark.Manual(Day0));
        var newer = Series(BackupType.FullImage, 5, start: Day0.AddDays(1));

        var before = Plan(newer.Append(manual));
        var after = Plan(newer.Append(manual.Unarchived()));

        Assert.Empty(before.Deletions);
        Assert.Equal([manual.Id], after.Deletions.Select(d => d.Backup.Id));
    }

    [Fact]
    public void WithArchive_AppliesADecisionsMark()
    {
        var backup = One(BackupType.IncrementalFile, Day0);
        var mark = ArchiveMark.ByRule("every 7d keep 30d", Day0, Day0.AddDays(30));

        Assert.Same(mark, backup.WithArchive(mark).Archive);
        Assert.Null(backup.WithArchive(mark).WithArchive(null).Archive);
    }
}
