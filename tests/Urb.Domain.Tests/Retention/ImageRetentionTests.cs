using Urb.Domain.Retention;
using Urb.Domain.Settings;
using Urb.Domain.Tests.Settings;
using static Urb.Domain.Tests.Retention.Backups;

namespace Urb.Domain.Tests.Retention;

/// <summary>Image backups in the cleanup: kept by their own min/max settings, each type apart, and charged like any backup under a quota.</summary>
public sealed class ImageRetentionTests
{
    private static readonly Dictionary<string, SettingValue> None = [];

    private static RetentionPolicy PolicyOf(params (string Key, string Text)[] client) =>
        EffectiveSettings.Resolve(None, None, Layers.Of(client)).Retention();

    [Fact]
    public void Retention_FromSettings_KeepsTheNewestFullImagesUpToTheirMax_FileAndIncrementalImagesUntouched()
    {
        var policy = PolicyOf((SettingCatalog.MaxFullImageBackups, "3"));
        var fullImages = Series(BackupType.FullImage, 6);
        var incrementalImages = Series(BackupType.IncrementalImage, 6);
        var files = Series(BackupType.FullFile, 6);

        var plan = Plan([.. fullImages, .. incrementalImages, .. files], policy);

        Assert.Equal(fullImages.Take(3).Select(b => b.Id), plan.Deleted().Select(b => b.Id));
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionReason.OverMaxCount, d.Reason));
        Assert.Contains("above the max of 3", plan.Deletions.First().Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Retention_IncrementalImageDefaults_Are4To30()
    {
        var plan = Plan(Series(BackupType.IncrementalImage, 33), PolicyOf());

        Assert.Equal(3, plan.Deleted().Count);
    }

    [Fact]
    public void SoftQuota_DeletesOldImageBackups_DownToTheImageMinimum()
    {
        var policy = PolicyOf((SettingCatalog.MinFullImageBackups, "2"), (SettingCatalog.MinIncrementalImageBackups, "0"));
        var images = Series(BackupType.FullImage, 5, bytes: GiB);

        var plan = Plan(images, policy, SoftQuota.Parse("1G", "soft_client_quota"));

        Assert.Equal(images.Take(3).Select(b => b.Id), plan.Deleted().Select(b => b.Id));
    }
}
