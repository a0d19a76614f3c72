using Urb.Domain.Errors;
using Urb.Domain.Retention;
using Urb.Domain.Settings;

namespace Urb.Domain.Tests.Settings;

public sealed class SettingsTests
{
    private static readonly Dictionary<string, SettingValue> None = [];

    [Theory]
    [InlineData(SettingCatalog.AllowRestore, " True ", "true")]
    [InlineData(SettingCatalog.AllowRestore, "false", "false")]
    [InlineData(SettingCatalog.BandwidthLimit, "60; 10@Mon-Fri/8-18", "60;10@Mon-Fri/8-18")]
    [InlineData(SettingCatalog.BandwidthLimit, "50%", "50%")]
    public void Normalize_ValidText_IsCanonical(string key, string text, string expected)
    {
        Assert.Equal(expected, SettingCatalog.Get(key).Normalize(SettingValue.Of(text)).Text);
    }

    [Theory]
    [InlineData(SettingCatalog.AllowRestore, "yes")]
    [InlineData(SettingCatalog.BandwidthLimit, "10;5@8-19/1-5")]
    [InlineData(SettingCatalog.BandwidthLimit, "fast")]
    [InlineData(SettingCatalog.BandwidthLimit, "150%")]
    [InlineData(SettingCatalog.BandwidthLimit, "-3")]
    public void Normalize_InvalidText_NamesTheKey(string key, string text)
    {
        var e = Assert.Throws<InvalidInputException>(() => SettingCatalog.Get(key).Normalize(SettingValue.Of(text)));
        Assert.Equal(key, e.Field);
    }

    [Fact]
    public void Normalize_ListOrTextInTheWrongPlace_IsInvalid()
    {
        Assert.Throws<InvalidInputException>(() => SettingCatalog.Get(SettingCatalog.BackupPaths).Normalize(SettingValue.Of("/home")));
        Assert.Throws<InvalidInputException>(() => SettingCatalog.Get(SettingCatalog.AllowRestore).Normalize(SettingValue.OfList(["x"])));
        Assert.Throws<InvalidInputException>(() => SettingCatalog.Get(SettingCatalog.BackupPaths).Normalize(SettingValue.OfList(["ok", "bad\nline"])));
    }

    [Fact]
    public void Normalize_List_TrimsAndDropsDuplicates()
    {
        var value = SettingCatalog.Get(SettingCatalog.Exclude).Normalize(SettingValue.OfList([" *.tmp", "*.tmp", "/cache"], merge: true));
        Assert.Equal(["*.tmp", "/cache"], value.Items);
        Assert.True(value.Merge);
    }

    [Fact]
    public void Get_UnknownKey_IsInvalidInput()
    {
        Assert.Throws<InvalidInputException>(() => SettingCatalog.Get("allow_everything"));
    }

    [Fact]
    public void Resolve_NothingSet_GivesDefaults()
    {
        var settings = EffectiveSettings.Resolve(None, None, None);

        Assert.Equal("0", settings[SettingCatalog.BandwidthLimit].Text);
        Assert.True(settings.Bool(SettingCatalog.AllowStartFullFileBackup));
        Assert.False(settings.Bool(SettingCatalog.InternetFullFileBackups));
        Assert.Empty(settings.List(SettingCatalog.BackupPaths));
        Assert.All(settings.All, s => Assert.Equal(SettingSource.Default, s.Source));
    }

    [Fact]
    public void Resolve_ClientOverridesTenantOverridesGlobal()
    {
        var global = Layers.Of((SettingCatalog.BandwidthLimit, "20"), (SettingCatalog.AllowChangePaths, "false"), (SettingCatalog.AllowRestore, "false"));
        var tenant = Layers.Of((SettingCatalog.BandwidthLimit, "30"), (SettingCatalog.AllowChangePaths, "true"));
        var client = Layers.Of((SettingCatalog.BandwidthLimit, "40"));

        var settings = EffectiveSettings.Resolve(global, tenant, client);

        Assert.Equal("40", settings[SettingCatalog.BandwidthLimit].Text);
        Assert.True(settings.Bool(SettingCatalog.AllowChangePaths));
        Assert.False(settings.Bool(SettingCatalog.AllowRestore));
        Assert.Equal(SettingSource.Client, settings.All.Single(s => s.Definition.Key == SettingCatalog.BandwidthLimit).Source);
        Assert.Equal(SettingSource.Global, settings.All.Single(s => s.Definition.Key == SettingCatalog.AllowRestore).Source);
    }

    [Fact]
    public void Resolve_ListsReplaceOrMerge()
    {
        var global = new Dictionary<string, SettingValue> { [SettingCatalog.Exclude] = SettingValue.OfList(["*.tmp", "*.iso"]) };
        var tenant = new Dictionary<string, SettingValue> { [SettingCatalog.Exclude] = SettingValue.OfList(["/cache", "*.tmp"], merge: true) };
        var clientReplaces = new Dictionary<string, SettingValue> { [SettingCatalog.Exclude] = SettingValue.OfList(["/only"]) };

        Assert.Equal(["*.tmp", "*.iso", "/cache"], EffectiveSettings.Resolve(global, tenant, None).List(SettingCatalog.Exclude));
        Assert.Equal(["/only"], EffectiveSettings.Resolve(global, tenant, clientReplaces).List(SettingCatalog.Exclude));
    }

    [Fact]
    public void Resolve_GlobalOnlySetting_IgnoresTenantAndClientLayers()
    {
        var tenant = Layers.Of((SettingCatalog.GlobalBandwidthLimit, "5"));

        var settings = EffectiveSettings.Resolve(Layers.Of((SettingCatalog.GlobalBandwidthLimit, "100")), tenant, None);

        Assert.Equal("100", settings[SettingCatalog.GlobalBandwidthLimit].Text);
    }

    [Fact]
    public void Bandwidth_PercentageOfGlobalLimit_InBytesPerSecond()
    {
        var settings = EffectiveSettings.Resolve(None, None, Layers.Of((SettingCatalog.BandwidthLimit, "50%;8@1-7/0-24")));
        var limit = settings.Bandwidth(SettingCatalog.BandwidthLimit);

        Assert.Equal(1_000_000, limit.ValueAt(new DateTime(2026, 11, 26, 12, 0, 0)).BytesPerSecond(100));
        Assert.Null(limit.Default.BytesPerSecond(0));
        Assert.Equal(6_250_000, limit.Default.BytesPerSecond(100));
    }
}

public sealed class ClientPermissionsTests
{
    private static EffectiveSettings With(params (string Key, SettingValue Value)[] values) =>
        EffectiveSettings.Resolve(values.ToDictionary(v => v.Key, v => SettingCatalog.Get(v.Key).Normalize(v.Value)),
            new Dictionary<string, SettingValue>(), new Dictionary<string, SettingValue>());

    [Fact]
    public void Defaults_AllowEverythingButFullBackupsFromTheInternet()
    {
        var settings = With();

        ClientPermissions.EnsureMayStartBackup(settings, BackupType.FullFile, ["/home"], fromInternet: false);
        ClientPermissions.EnsureMayStartBackup(settings, BackupType.IncrementalFile, ["/home"], fromInternet: true);
        ClientPermissions.EnsureMayRestore(settings);
        Assert.Throws<PermissionDeniedException>(() => ClientPermissions.EnsureMayStartBackup(settings, BackupType.FullFile, ["/home"], fromInternet: true));
    }

    [Fact]
    public void ViewLog_AllowedByDefault_DeniedNamingTheSettingWhenOff()
    {
        ClientPermissions.EnsureMayViewLog(With());

        var e = Assert.Throws<PermissionDeniedException>(() => ClientPermissions.EnsureMayViewLog(With((SettingCatalog.AllowViewLog, SettingValue.Of("false")))));
        Assert.Contains(SettingCatalog.AllowViewLog, e.Message);
        Assert.Contains("read its live log", e.Message);
    }

    [Fact]
    public void IncrementalAllowedFullNot_FullIsDenied()
    {
        var settings = With((SettingCatalog.AllowStartFullFileBackup, SettingValue.Of("false")));

        ClientPermissions.EnsureMayStartBackup(settings, BackupType.IncrementalFile, ["/home"], fromInternet: false);
        var e = Assert.Throws<PermissionDeniedException>(() => ClientPermissions.EnsureMayStartBackup(settings, BackupType.FullFile, ["/home"], fromInternet: false));
        Assert.Contains(SettingCatalog.AllowStartFullFileBackup, e.Message);
    }

    [Theory]
    [InlineData(BackupType.IncrementalImage, SettingCatalog.AllowStartIncrementalImageBackup, "incremental image")]
    [InlineData(BackupType.FullImage, SettingCatalog.AllowStartFullImageBackup, "full image")]
    public void ImageBackupNotAllowed_DeniedNamingItsSetting_TheOtherImageKindAndServerStartsStillRun(BackupType denied, string setting, string words)
    {
        var settings = With((setting, SettingValue.Of("false")));
        var other = denied == BackupType.FullImage ? BackupType.IncrementalImage : BackupType.FullImage;

        var e = Assert.Throws<PermissionDeniedException>(() => ClientPermissions.EnsureMayStartBackup(settings, denied, ["/dev/sda"], fromInternet: false));
        Assert.Contains(setting, e.Message);
        Assert.Contains($"start {words} backups", e.Message);
        ClientPermissions.EnsureMayStartBackup(settings, other, ["/dev/sda"], fromInternet: false);
        ClientPermissions.EnsureMayStartBackup(settings, denied, ["/dev/sda"], fromInternet: false, startedByServer: true);
    }

    [Theory]
    [InlineData(BackupType.IncrementalImage)]
    [InlineData(BackupType.FullImage)]
    public void ImageBackupFromTheInternet_DeniedEvenWhenTheServerStartsIt_UnlessInternetImageBackups(BackupType type)
    {
        var settings = With();
        var allowed = With((SettingCatalog.InternetImageBackups, SettingValue.Of("true")));

        var e = Assert.Throws<PermissionDeniedException>(() => ClientPermissions.EnsureMayStartBackup(settings, type, ["/dev/sda"], fromInternet: true, startedByServer: true));
        Assert.Contains(SettingCatalog.InternetImageBackups, e.Message);
        ClientPermissions.EnsureMayStartBackup(settings, type, ["/dev/sda"], fromInternet: false);
        ClientPermissions.EnsureMayStartBackup(allowed, type, ["/dev/sda"], fromInternet: true);
    }

    [Fact]
    public void ImageBackup_IsNotBoundToTheConfiguredFilePaths()
    {
        var locked = With((SettingCatalog.BackupPaths, SettingValue.OfList(["/home"])), (SettingCatalog.AllowChangePaths, SettingValue.Of("false")));

        ClientPermissions.EnsureMayStartBackup(locked, BackupType.FullImage, ["/dev/sda1"], fromInternet: false);
    }

    [Fact]
    public void ConfiguredPaths_OthersOnlyWithAllowChangePaths()
    {
        var locked = With((SettingCatalog.BackupPaths, SettingValue.OfList(["/home", "/etc"])), (SettingCatalog.AllowChangePaths, SettingValue.Of("false")));
        var open = With((SettingCatalog.BackupPaths, SettingValue.OfList(["/home"])));

        ClientPermissions.EnsureMayStartBackup(locked, BackupType.IncrementalFile, ["/etc", "/home"], fromInternet: false);
        Assert.Throws<PermissionDeniedException>(() => ClientPermissions.EnsureMayStartBackup(locked, BackupType.IncrementalFile, ["/home"], fromInternet: false));
        ClientPermissions.EnsureMayStartBackup(open, BackupType.IncrementalFile, ["/srv"], fromInternet: false);
    }

    [Fact]
    public void RestoreDenied_IsPermissionDenied()
    {
        Assert.Throws<PermissionDeniedException>(() => ClientPermissions.EnsureMayRestore(With((SettingCatalog.AllowRestore, SettingValue.Of("false")))));
    }
}
