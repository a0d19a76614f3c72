using Urb.Domain.Retention;
using Urb.Domain.Scheduling;
using Urb.Domain.Settings;
using Urb.Domain.Tests.Settings;
using static Urb.Domain.Tests.Scheduling.Week;

namespace Urb.Domain.Tests.Scheduling;

/// <summary>Image backups in the client's schedule: only with image volumes, their own intervals and windows, files first, one backup at a time.</summary>
public sealed class ImageSchedulingTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly Dictionary<string, SettingValue> None = [];

    private static DateTimeOffset T(int dayOfJanuary, int hour, int minute = 0) => new(At(dayOfJanuary, hour, minute), TimeSpan.Zero);

    /// <summary>Files backed up an hour before <paramref name="now"/>, so no file backup is due.</summary>
    private static LastBackups FreshFiles(DateTimeOffset now) => new(now.AddHours(-1), now.AddDays(-1));

    private static ClientSchedule WithImages(BackupSchedule images) => new(BackupSchedule.Default, images);

    [Fact]
    public void From_NoImageVolumes_NoImageSchedule_WithVolumesUrBackupsImageDefaults()
    {
        var without = ClientSchedule.From(EffectiveSettings.Resolve(None, None, None));
        var with = ClientSchedule.From(EffectiveSettings.Resolve(None, None, new Dictionary<string, SettingValue>
        {
            [SettingCatalog.ImageVolumes] = SettingValue.OfList(["/dev/sda1"]),
        }));

        Assert.Null(without.Image);
        Assert.Null(without.Of(BackupSide.Image));
        Assert.Equal(BackupSide.File, without.File.Side);
        Assert.Equal(TimeSpan.FromHours(5), without.File.IncrementalInterval.ValueAt(At(Wed, 12)).Length);
        Assert.NotNull(with.Image);
        Assert.Equal(BackupSide.Image, with.Image.Side);
        Assert.Equal(TimeSpan.FromDays(7), with.Image.IncrementalInterval.ValueAt(At(Wed, 12)).Length);
        Assert.Equal(TimeSpan.FromDays(60), with.Image.FullInterval.ValueAt(At(Wed, 12)).Length);
        Assert.True(with.Image.IncrementalWindow.IsAlways);
        Assert.True(with.Image.FullWindow.IsAlways);
    }

    [Fact]
    public void From_ImageSettings_AreReadFromTheImageKeys()
    {
        var client = Layers.Of((SettingCatalog.IncrementalImageInterval, "2d"), (SettingCatalog.FullImageInterval, "off"),
            (SettingCatalog.IncrementalImageWindow, "6,7/0-24"), (SettingCatalog.FullImageWindow, "1-5/1-5"));
        client[SettingCatalog.ImageVolumes] = SettingValue.OfList(["/dev/sda1"]);

        var image = ClientSchedule.From(EffectiveSettings.Resolve(None, None, client)).Image!;

        Assert.Equal(TimeSpan.FromDays(2), image.IncrementalInterval.ValueAt(At(Wed, 12)).Length);
        Assert.True(image.FullInterval.ValueAt(At(Wed, 12)).IsOff);
        Assert.Equal("6,7/0-24", image.IncrementalWindow.Text);
        Assert.Equal("1-5/1-5", image.FullWindow.Text);
        Assert.Equal(TimeSpan.FromHours(5), ClientSchedule.From(EffectiveSettings.Resolve(None, None, client)).File.IncrementalInterval.ValueAt(At(Wed, 12)).Length);
    }

    [Fact]
    public void Decide_FirstImageBackupEver_IsAFullImage_EvenInTheIncrementalWindowOnly()
    {
        var images = Schedules.Of("7d", "60d", incrementalWindow: "1-7/0-24", fullWindow: "6,7/0-24", side: BackupSide.Image);
        var last = new BackupHistory(FreshFiles(T(Wed, 10)), LastBackups.None);

        var decision = DuePlanner.Decide(WithImages(images), last, T(Wed, 10), Utc);

        Assert.Equal(BackupType.FullImage, decision.Kind);
        Assert.Equal("incremental image due: no image backup yet; the full backup is due too but full image due: no full image backup yet, "
            + "but outside its window '6,7/0-24'; it opens 2024-01-06 00:00; as the first image backup it is a full one", decision.Reason);
    }

    [Fact]
    public void Decide_FileAndImageDue_TheFileBackupGoesFirst_TheImageAfterIt()
    {
        var schedule = WithImages(BackupSchedule.DefaultImage);

        var both = DuePlanner.Decide(schedule, BackupHistory.None, T(Wed, 10), Utc);
        var afterFiles = DuePlanner.Decide(schedule, new BackupHistory(FreshFiles(T(Wed, 11)), LastBackups.None), T(Wed, 11), Utc);

        Assert.Equal(BackupType.FullFile, both.Kind);
        Assert.Equal(BackupType.FullImage, afterFiles.Kind);
    }

    [Fact]
    public void Decide_IncrementalImage_DueSevenDaysAfterTheLastImageOfEitherKind()
    {
        var schedule = WithImages(BackupSchedule.DefaultImage);
        var images = new LastBackups(T(Mon, 9), T(Mon, 0).AddDays(-20));

        var before = DuePlanner.Decide(schedule, new BackupHistory(FreshFiles(T(NextMon, 8)), images), T(NextMon, 8), Utc);
        var at = DuePlanner.Decide(schedule, new BackupHistory(FreshFiles(T(NextMon, 9)), images), T(NextMon, 9), Utc);

        Assert.Null(before.Kind);
        Assert.Contains("incremental image: next due 2024-01-08 09:00 +00:00 (interval 7d, last image backup 2024-01-01 09:00 +00:00)", before.Reason);
        Assert.StartsWith("incremental file: next due", before.Reason, StringComparison.Ordinal);
        Assert.Equal(BackupType.IncrementalImage, at.Kind);
        Assert.Equal("incremental image due: the last image backup finished 2024-01-01 09:00 +00:00, interval 7d", at.Reason);
    }

    [Fact]
    public void Decide_FullImageDueOutsideItsWindow_IncrementalImageNow_FullImageWhenItsWindowOpens()
    {
        var images = Schedules.Of("7d", "60d", incrementalWindow: "1-7/0-24", fullWindow: "6,7/0-24", side: BackupSide.Image);
        var last = new LastBackups(T(Mon, 0).AddDays(-8), T(Mon, 0).AddDays(-61));

        var weekday = DuePlanner.Decide(WithImages(images), new BackupHistory(FreshFiles(T(Wed, 12)), last), T(Wed, 12), Utc);
        var weekend = DuePlanner.Decide(WithImages(images), new BackupHistory(FreshFiles(T(Sat, 12)), last), T(Sat, 12), Utc);

        Assert.Equal(BackupType.IncrementalImage, weekday.Kind);
        Assert.Contains("the full backup is due too but full image due", weekday.Reason);
        Assert.Equal(BackupType.FullImage, weekend.Kind);
    }

    [Fact]
    public void Decide_ImageWindowsClosed_NothingDue_BothSidesSayWhy()
    {
        var images = Schedules.Of("7d", "60d", incrementalWindow: "6,7/0-24", fullWindow: "6,7/0-24", side: BackupSide.Image);

        var decision = DuePlanner.Decide(WithImages(images), new BackupHistory(FreshFiles(T(Wed, 12)), LastBackups.None), T(Wed, 12), Utc);

        Assert.False(decision.IsDue);
        Assert.Contains("incremental file: next due", decision.Reason);
        Assert.Contains("incremental image due: no image backup yet, but outside its window '6,7/0-24'", decision.Reason);
    }

    [Fact]
    public void Decide_ImageIntervalsOff_NoImageBackups()
    {
        var images = Schedules.Of("off", "off", side: BackupSide.Image);

        var decision = DuePlanner.Decide(WithImages(images), new BackupHistory(FreshFiles(T(Wed, 12)), LastBackups.None), T(Wed, 12), Utc);

        Assert.Null(decision.Kind);
        Assert.EndsWith("; scheduled image backups are off (incremental and full intervals are 'off')", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoImageVolumes_NeverAnImageBackup()
    {
        var schedule = new ClientSchedule(BackupSchedule.Default, null);

        var decision = DuePlanner.Decide(schedule, new BackupHistory(FreshFiles(T(Wed, 12)), LastBackups.None), T(Wed, 12), Utc);

        Assert.Null(decision.Kind);
        Assert.DoesNotContain("image", decision.Reason);
    }

    [Fact]
    public void BackupHistory_At_NamesEachTypesOwnTime()
    {
        var history = new BackupHistory(new LastBackups(T(Mon, 1), T(Mon, 2)), new LastBackups(T(Mon, 3), null));

        Assert.Equal(T(Mon, 1), history.At(BackupType.IncrementalFile));
        Assert.Equal(T(Mon, 2), history.At(BackupType.FullFile));
        Assert.Equal(T(Mon, 3), history.At(BackupType.IncrementalImage));
        Assert.Null(history.At(BackupType.FullImage));
        Assert.Equal(T(Mon, 3), history.Of(BackupSide.Image).Any);
    }
}
