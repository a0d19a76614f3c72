using Urb.Domain.Errors;
using Urb.Domain.Retention;
using Urb.Domain.Scheduling;
using Urb.Domain.Settings;

namespace Urb.Domain.Tests.Settings;

/// <summary>The settings of schedules and cleanup: kinds Interval, Window, Count, Quota, Gfs and ArchivalRules.</summary>
public sealed class ScheduleAndCleanupSettingsTests
{
    private static readonly Dictionary<string, SettingValue> None = [];

    private static readonly DateTime Tuesday9 = new(2024, 1, 2, 9, 0, 0);
    private static readonly DateTime Saturday9 = new(2024, 1, 6, 9, 0, 0);

    [Theory]
    [InlineData(SettingCatalog.IncrementalFileInterval, SettingKind.Interval, "5h", false)]
    [InlineData(SettingCatalog.FullFileInterval, SettingKind.Interval, "30d", false)]
    [InlineData(SettingCatalog.IncrementalFileWindow, SettingKind.Window, "1-7/0-24", false)]
    [InlineData(SettingCatalog.FullFileWindow, SettingKind.Window, "1-7/0-24", false)]
    [InlineData(SettingCatalog.MaxRunningJobs, SettingKind.Count, "10", true)]
    [InlineData(SettingCatalog.CleanupWindow, SettingKind.Window, "1-7/3-4", true)]
    [InlineData(SettingCatalog.MinIncrementalFileBackups, SettingKind.Count, "40", false)]
    [InlineData(SettingCatalog.MaxIncrementalFileBackups, SettingKind.Count, "100", false)]
    [InlineData(SettingCatalog.MinFullFileBackups, SettingKind.Count, "2", false)]
    [InlineData(SettingCatalog.MaxFullFileBackups, SettingKind.Count, "10", false)]
    [InlineData(SettingCatalog.IncrementalImageInterval, SettingKind.Interval, "7d", false)]
    [InlineData(SettingCatalog.FullImageInterval, SettingKind.Interval, "60d", false)]
    [InlineData(SettingCatalog.IncrementalImageWindow, SettingKind.Window, "1-7/0-24", false)]
    [InlineData(SettingCatalog.FullImageWindow, SettingKind.Window, "1-7/0-24", false)]
    [InlineData(SettingCatalog.MinIncrementalImageBackups, SettingKind.Count, "4", false)]
    [InlineData(SettingCatalog.MaxIncrementalImageBackups, SettingKind.Count, "30", false)]
    [InlineData(SettingCatalog.MinFullImageBackups, SettingKind.Count, "2", false)]
    [InlineData(SettingCatalog.MaxFullImageBackups, SettingKind.Count, "5", false)]
    [InlineData(SettingCatalog.AllowStartIncrementalImageBackup, SettingKind.Bool, "true", false)]
    [InlineData(SettingCatalog.AllowStartFullImageBackup, SettingKind.Bool, "true", false)]
    [InlineData(SettingCatalog.InternetImageBackups, SettingKind.Bool, "false", false)]
    [InlineData(SettingCatalog.RetentionGfs, SettingKind.Gfs, "", false)]
    [InlineData(SettingCatalog.SoftClientQuota, SettingKind.Quota, "", false)]
    [InlineData(SettingCatalog.GlobalSoftQuota, SettingKind.Quota, "", true)]
    public void Catalog_NewSettings_KindDefaultAndScope(string key, SettingKind kind, string defaultText, bool globalOnly)
    {
        var definition = SettingCatalog.Get(key);

        Assert.Equal(key, definition.Key);
        Assert.Equal(kind, definition.Kind);
        Assert.Equal(defaultText, definition.Default.Text);
        Assert.Empty(definition.Default.Items);
        Assert.Equal(globalOnly, definition.GlobalOnly);
        Assert.False(string.IsNullOrWhiteSpace(definition.Description));
    }

    [Fact]
    public void Catalog_ArchiveRules_IsAnEmptyListOfRulesForEveryLayer()
    {
        var definition = SettingCatalog.Get(SettingCatalog.ArchiveRules);

        Assert.Equal(SettingKind.ArchivalRules, definition.Kind);
        Assert.True(definition.Kind.IsList());
        Assert.Empty(definition.Default.Items);
        Assert.Equal("", definition.Default.Text);
        Assert.False(definition.GlobalOnly);
    }

    [Fact]
    public void Catalog_EveryDefault_IsAlreadyCanonical()
    {
        Assert.All(SettingCatalog.All, d => Assert.Equal(d.Default, d.Normalize(d.Default)));
    }

    [Theory]
    [InlineData(SettingKind.List, true)]
    [InlineData(SettingKind.ArchivalRules, true)]
    [InlineData(SettingKind.Bool, false)]
    [InlineData(SettingKind.Bandwidth, false)]
    [InlineData(SettingKind.Interval, false)]
    [InlineData(SettingKind.Window, false)]
    [InlineData(SettingKind.Count, false)]
    [InlineData(SettingKind.Quota, false)]
    [InlineData(SettingKind.Gfs, false)]
    public void IsList_OnlyListKinds(SettingKind kind, bool isList)
    {
        Assert.Equal(isList, kind.IsList());
    }

    [Theory]
    [InlineData(SettingCatalog.IncrementalFileInterval, " 5h ", "5h")]
    [InlineData(SettingCatalog.IncrementalFileInterval, "5h ; 1h@1-5/8-18", "5h;1h@1-5/8-18")]
    [InlineData(SettingCatalog.IncrementalFileInterval, "5h;1h@1-5/8-18;", "5h;1h@1-5/8-18")]
    [InlineData(SettingCatalog.IncrementalFileInterval, "off;90min@1-5/8-18; 6/10-12", "off;90min@1-5/8-18;6/10-12")]
    [InlineData(SettingCatalog.FullFileInterval, "off", "off")]
    [InlineData(SettingCatalog.FullFileInterval, "never", "never")]
    [InlineData(SettingCatalog.FullFileInterval, "-1", "-1")]
    [InlineData(SettingCatalog.FullFileInterval, "2w", "2w")]
    [InlineData(SettingCatalog.IncrementalFileWindow, "", "1-7/0-24")]
    [InlineData(SettingCatalog.IncrementalFileWindow, "*", "1-7/0-24")]
    [InlineData(SettingCatalog.IncrementalFileWindow, "0-7/0-24", "1-7/0-24")]
    [InlineData(SettingCatalog.IncrementalFileWindow, "mon-sun/0-24", "1-7/0-24")]
    [InlineData(SettingCatalog.FullFileWindow, " 1-5/8-19;6,7/0-24 ", "1-5/8-19;6,7/0-24")]
    [InlineData(SettingCatalog.CleanupWindow, "1-7/22-6", "1-7/22-6")]
    [InlineData(SettingCatalog.MaxRunningJobs, " 4 ", "4")]
    [InlineData(SettingCatalog.MaxRunningJobs, "007", "7")]
    [InlineData(SettingCatalog.MinIncrementalFileBackups, "0", "0")]
    [InlineData(SettingCatalog.MaxFullFileBackups, "2147483647", "2147483647")]
    [InlineData(SettingCatalog.SoftClientQuota, "", "")]
    [InlineData(SettingCatalog.SoftClientQuota, " - ", "")]
    [InlineData(SettingCatalog.SoftClientQuota, "20G", "20G")]
    [InlineData(SettingCatalog.SoftClientQuota, " 10% ", "10%")]
    [InlineData(SettingCatalog.GlobalSoftQuota, "2T", "2T")]
    [InlineData(SettingCatalog.RetentionGfs, "", "")]
    [InlineData(SettingCatalog.RetentionGfs, "-", "")]
    [InlineData(SettingCatalog.RetentionGfs, "daily 7, weekly 4", "keep daily 7, weekly 4, monthly 0, yearly 0")]
    [InlineData(SettingCatalog.RetentionGfs, "KEEP yearly=3, daily=7", "keep daily 7, weekly 0, monthly 0, yearly 3")]
    [InlineData(SettingCatalog.RetentionGfs, "keep daily 7, weekly 4, monthly 12, yearly 3", "keep daily 7, weekly 4, monthly 12, yearly 3")]
    public void Normalize_ValidText_IsCanonical(string key, string text, string expected)
    {
        var definition = SettingCatalog.Get(key);

        var normalized = definition.Normalize(SettingValue.Of(text));

        Assert.Equal(expected, normalized.Text);
        Assert.Equal(normalized, definition.Normalize(normalized));
    }

    [Theory]
    [InlineData(SettingCatalog.IncrementalFileInterval, "", "No value given")]
    [InlineData(SettingCatalog.IncrementalFileInterval, "5", "'5' has no unit")]
    [InlineData(SettingCatalog.IncrementalFileInterval, "5x", "unknown unit 'x'")]
    [InlineData(SettingCatalog.IncrementalFileInterval, "0h", "'0h' is zero")]
    [InlineData(SettingCatalog.FullFileInterval, "3661d", "'3661d' is longer than 3660 days")]
    [InlineData(SettingCatalog.FullFileInterval, "monthly", "'monthly' is not an interval")]
    [InlineData(SettingCatalog.IncrementalFileInterval, "5h;1h@8-18/1-5", "part 2")]
    [InlineData(SettingCatalog.IncrementalFileInterval, "1h@1-5/8-18", "is the default value and cannot have '@window'")]
    [InlineData(SettingCatalog.IncrementalFileWindow, "1-5", "missing '/'")]
    [InlineData(SettingCatalog.FullFileWindow, "funday/0-24", "day 'funday' is not 0–7 or a day name")]
    [InlineData(SettingCatalog.CleanupWindow, "1/8-25", "hour 25 is not 0–24")]
    [InlineData(SettingCatalog.MaxRunningJobs, "", "is a whole number from 0")]
    [InlineData(SettingCatalog.MaxRunningJobs, "-1", "is a whole number from 0")]
    [InlineData(SettingCatalog.MinFullFileBackups, "1.5", "is a whole number from 0")]
    [InlineData(SettingCatalog.MaxFullFileBackups, "ten", "is a whole number from 0")]
    [InlineData(SettingCatalog.MaxIncrementalFileBackups, "+3", "is a whole number from 0")]
    [InlineData(SettingCatalog.MinIncrementalFileBackups, "2147483648", "is a whole number from 0")]
    [InlineData(SettingCatalog.SoftClientQuota, "20X", "unknown unit 'X'")]
    [InlineData(SettingCatalog.SoftClientQuota, "101%", "a percentage is at most 100%")]
    [InlineData(SettingCatalog.GlobalSoftQuota, "-5G", "a quota cannot be negative")]
    [InlineData(SettingCatalog.RetentionGfs, "hourly 24", "'hourly 24' in 'hourly 24' is not a period with a count")]
    [InlineData(SettingCatalog.RetentionGfs, "daily 7, daily 1", "'daily' is given twice")]
    [InlineData(SettingCatalog.RetentionGfs, "daily 0", "Keep at least one daily, weekly, monthly or yearly backup")]
    [InlineData(SettingCatalog.RetentionGfs, "keep everything", "is not a period with a count")]
    public void Normalize_InvalidText_SaysWhichSettingAndWhatIsWrong(string key, string text, string fragment)
    {
        var e = Assert.Throws<InvalidInputException>(() => SettingCatalog.Get(key).Normalize(SettingValue.Of(text)));

        Assert.Equal(key, e.Field);
        Assert.StartsWith($"Setting '{key}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(e.Message, "Setting '"));
    }

    [Theory]
    [InlineData(SettingCatalog.IncrementalFileInterval)]
    [InlineData(SettingCatalog.CleanupWindow)]
    [InlineData(SettingCatalog.MaxRunningJobs)]
    [InlineData(SettingCatalog.SoftClientQuota)]
    [InlineData(SettingCatalog.RetentionGfs)]
    public void Normalize_SingleValueGivenAList_IsInvalid(string key)
    {
        var e = Assert.Throws<InvalidInputException>(() => SettingCatalog.Get(key).Normalize(SettingValue.OfList(["5h"])));

        Assert.Equal($"Setting '{key}' is a single value: give text, not items.", e.Message);
        Assert.Equal(key, e.Field);
    }

    [Fact]
    public void Normalize_ArchiveRules_CanonicalTextAndNoDuplicates()
    {
        var definition = SettingCatalog.Get(SettingCatalog.ArchiveRules);

        var value = definition.Normalize(SettingValue.OfList([" EVERY 7D KEEP 30D ", "keep 30d every 7d", "every 1m keep forever of full_file"], merge: true));

        Assert.Equal(["every 7d keep 30d", "every 1m keep forever of full-file"], value.Items);
        Assert.True(value.Merge);
        Assert.Equal("", value.Text);
        Assert.Equal(value, definition.Normalize(value));
    }

    [Theory]
    [InlineData("every 7d", "'keep PERIOD' or 'keep forever' is missing")]
    [InlineData("every 7x keep 30d", "unknown unit 'x'")]
    [InlineData("every 7d keep 30d of tapes", "'tapes' is not a backup type")]
    public void Normalize_ArchiveRules_BadRule_NamesTheSettingAndQuotesTheRule(string rule, string fragment)
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            SettingCatalog.Get(SettingCatalog.ArchiveRules).Normalize(SettingValue.OfList(["every 1w keep 1y", rule])));

        Assert.Equal(SettingCatalog.ArchiveRules, e.Field);
        Assert.StartsWith($"Setting 'archive_rules': Archival rule '{rule}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_ArchiveRules_TextOrBadItems_AreInvalid()
    {
        var definition = SettingCatalog.Get(SettingCatalog.ArchiveRules);

        Assert.Equal("Setting 'archive_rules' is a list: give items, not text.",
            Assert.Throws<InvalidInputException>(() => definition.Normalize(SettingValue.Of("every 7d keep 30d"))).Message);
        Assert.StartsWith("Setting 'archive_rules' items are",
            Assert.Throws<InvalidInputException>(() => definition.Normalize(SettingValue.OfList(["every 7d keep 30d", " "]))).Message, StringComparison.Ordinal);
        Assert.StartsWith("Setting 'archive_rules' has at most",
            Assert.Throws<InvalidInputException>(() => definition.Normalize(SettingValue.OfList(Enumerable.Repeat("every 7d keep 30d", SettingDefinition.MaxItems + 1)))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_EachTypeReadsItsOwnSettings_DefaultsAreUrBackups()
    {
        var settings = EffectiveSettings.Resolve(None, None, Layers.Of((SettingCatalog.MaxFullImageBackups, "7")));

        foreach (var type in BackupTypeExtensions.All.Where(t => t != BackupType.FullImage))
        {
            Assert.Equal(CountLimits.DefaultFor(type), settings.Limits(type));
        }
        Assert.Equal(new CountLimits(2, 7), settings.Limits(BackupType.FullImage));
    }

    [Fact]
    public void Limits_MinAboveMax_InvalidNamingTheMinSetting()
    {
        var settings = EffectiveSettings.Resolve(None, None, Layers.Of((SettingCatalog.MinIncrementalImageBackups, "40")));

        Assert.Equal(SettingCatalog.MinIncrementalImageBackups,
            Assert.Throws<InvalidInputException>(() => settings.Limits(BackupType.IncrementalImage)).Field);
    }

    [Fact]
    public void Resolve_NothingSet_AccessorsGiveTheDefaults()
    {
        var settings = EffectiveSettings.Resolve(None, None, None);

        Assert.Equal(TimeSpan.FromHours(5), settings.Interval(SettingCatalog.IncrementalFileInterval).ValueAt(Tuesday9).Length);
        Assert.Equal(TimeSpan.FromDays(30), settings.Interval(SettingCatalog.FullFileInterval).ValueAt(Tuesday9).Length);
        Assert.True(settings.Window(SettingCatalog.IncrementalFileWindow).IsAlways);
        Assert.True(settings.Window(SettingCatalog.FullFileWindow).IsAlways);
        var cleanup = settings.Window(SettingCatalog.CleanupWindow);
        Assert.Equal(7 * 60, cleanup.MinutesPerWeek);
        Assert.True(cleanup.Contains(new DateTime(2024, 1, 3, 3, 30, 0)));
        Assert.False(cleanup.Contains(new DateTime(2024, 1, 3, 4, 0, 0)));
        Assert.Equal(10, settings.Count(SettingCatalog.MaxRunningJobs));
        Assert.Equal(40, settings.Count(SettingCatalog.MinIncrementalFileBackups));
        Assert.Equal(100, settings.Count(SettingCatalog.MaxIncrementalFileBackups));
        Assert.Equal(2, settings.Count(SettingCatalog.MinFullFileBackups));
        Assert.Equal(10, settings.Count(SettingCatalog.MaxFullFileBackups));
        Assert.Null(settings.Gfs(SettingCatalog.RetentionGfs));
        Assert.True(settings.Quota(SettingCatalog.SoftClientQuota).IsNone);
        Assert.True(settings.Quota(SettingCatalog.GlobalSoftQuota).IsNone);
        Assert.Empty(settings.ArchivalRules(SettingCatalog.ArchiveRules));
    }

    [Fact]
    public void Resolve_Accessors_ParseTheEffectiveValues()
    {
        var client = Layers.Of(
            (SettingCatalog.IncrementalFileInterval, "5h;1h@1-5/8-18"),
            (SettingCatalog.FullFileInterval, "never"),
            (SettingCatalog.FullFileWindow, "6,7/0-24"),
            (SettingCatalog.MaxFullFileBackups, "03"),
            (SettingCatalog.RetentionGfs, "daily 7, weekly 4, monthly 12, yearly 3"),
            (SettingCatalog.SoftClientQuota, "20G"));

        var settings = EffectiveSettings.Resolve(None, None, client);

        var incremental = settings.Interval(SettingCatalog.IncrementalFileInterval);
        Assert.Equal(TimeSpan.FromHours(1), incremental.ValueAt(Tuesday9).Length);
        Assert.Equal(TimeSpan.FromHours(5), incremental.ValueAt(Saturday9).Length);
        Assert.True(settings.Interval(SettingCatalog.FullFileInterval).ValueAt(Tuesday9).IsOff);
        Assert.True(settings.Window(SettingCatalog.FullFileWindow).Contains(Saturday9));
        Assert.False(settings.Window(SettingCatalog.FullFileWindow).Contains(Tuesday9));
        Assert.Equal(3, settings.Count(SettingCatalog.MaxFullFileBackups));
        Assert.Equal(new GfsRule(7, 4, 12, 3), settings.Gfs(SettingCatalog.RetentionGfs));
        Assert.Equal(20L * 1024 * 1024 * 1024, settings.Quota(SettingCatalog.SoftClientQuota).Bytes);
    }

    [Fact]
    public void Resolve_PercentQuota_IsAPercentage()
    {
        var settings = EffectiveSettings.Resolve(Layers.Of((SettingCatalog.GlobalSoftQuota, "12.5%")), None, None);

        var quota = settings.Quota(SettingCatalog.GlobalSoftQuota);

        Assert.Equal(12.5m, quota.Percent);
        Assert.Equal(125, quota.LimitFor(1000));
    }

    [Fact]
    public void Resolve_ClientOverridesTenantOverridesGlobal_ForScheduleAndCleanupSettings()
    {
        var global = Layers.Of((SettingCatalog.IncrementalFileInterval, "2h"), (SettingCatalog.SoftClientQuota, "100G"), (SettingCatalog.RetentionGfs, "daily 1"),
            (SettingCatalog.MinFullFileBackups, "5"));
        var tenant = Layers.Of((SettingCatalog.IncrementalFileInterval, "3h"), (SettingCatalog.SoftClientQuota, "50G"), (SettingCatalog.RetentionGfs, "weekly 2"));
        var client = Layers.Of((SettingCatalog.IncrementalFileInterval, "4h"), (SettingCatalog.RetentionGfs, "-"));

        var settings = EffectiveSettings.Resolve(global, tenant, client);

        Assert.Equal(TimeSpan.FromHours(4), settings.Interval(SettingCatalog.IncrementalFileInterval).Default.Length);
        Assert.Equal(50L << 30, settings.Quota(SettingCatalog.SoftClientQuota).Bytes);
        Assert.Null(settings.Gfs(SettingCatalog.RetentionGfs)); // the client switched GFS off again
        Assert.Equal(5, settings.Count(SettingCatalog.MinFullFileBackups));
        Assert.Equal(SettingSource.Client, Source(settings, SettingCatalog.RetentionGfs));
        Assert.Equal(SettingSource.Tenant, Source(settings, SettingCatalog.SoftClientQuota));
        Assert.Equal(SettingSource.Global, Source(settings, SettingCatalog.MinFullFileBackups));
        Assert.Equal(SettingSource.Default, Source(settings, SettingCatalog.MaxFullFileBackups));
    }

    [Theory]
    [InlineData(SettingCatalog.MaxRunningJobs, "3", "7", "10")]
    [InlineData(SettingCatalog.CleanupWindow, "1-7/1-2", "1-5/8-9", "1-7/3-4")]
    [InlineData(SettingCatalog.GlobalSoftQuota, "1T", "5G", "")]
    public void Resolve_GlobalOnlySettings_IgnoreTenantAndClient(string key, string global, string other, string defaultText)
    {
        var fromOthers = EffectiveSettings.Resolve(None, Layers.Of((key, other)), Layers.Of((key, other)));
        var fromGlobal = EffectiveSettings.Resolve(Layers.Of((key, global)), Layers.Of((key, other)), Layers.Of((key, other)));

        Assert.Equal(defaultText, fromOthers[key].Text);
        Assert.Equal(SettingSource.Default, Source(fromOthers, key));
        Assert.Equal(global, fromGlobal[key].Text);
        Assert.Equal(SettingSource.Global, Source(fromGlobal, key));
    }

    [Fact]
    public void Resolve_ArchiveRules_MergeOrReplace()
    {
        var global = Rules(merge: false, "every 7d keep 30d");
        var tenantAdds = Rules(merge: true, "every 1m keep 1y of full-file", "keep 30d every 7d");
        var clientAdds = Rules(merge: true, "every 1y keep forever");
        var clientReplaces = Rules(merge: false, "every 1d keep 1w");

        var merged = EffectiveSettings.Resolve(global, tenantAdds, clientAdds);
        var replaced = EffectiveSettings.Resolve(global, tenantAdds, clientReplaces);

        Assert.Equal(["every 7d keep 30d", "every 1m keep 1y of full-file", "every 1y keep forever"], merged.List(SettingCatalog.ArchiveRules));
        var rules = merged.ArchivalRules(SettingCatalog.ArchiveRules);
        Assert.Equal(["every 7d keep 30d", "every 1m keep 1y of full-file", "every 1y keep forever"], rules.Select(r => r.Id));
        Assert.Equal(BackupTypes.FullFile, rules[1].Scope);
        Assert.Null(rules[2].KeepFor);
        Assert.Equal(["every 1d keep 1w"], replaced.ArchivalRules(SettingCatalog.ArchiveRules).Select(r => r.Id));
        Assert.Equal(SettingSource.Client, Source(replaced, SettingCatalog.ArchiveRules));
        Assert.False(merged[SettingCatalog.ArchiveRules].Merge);
    }

    [Fact]
    public void Accessors_OnUncheckedText_NameTheSetting()
    {
        // Values normally arrive normalized; FromResolved takes them as stored, so a bad one still says whose it is.
        var settings = EffectiveSettings.FromResolved(new Dictionary<string, SettingValue>
        {
            [SettingCatalog.IncrementalFileInterval] = SettingValue.Of("5 hours"),
            [SettingCatalog.FullFileWindow] = SettingValue.Of("weekends"),
            [SettingCatalog.SoftClientQuota] = SettingValue.Of("lots"),
            [SettingCatalog.RetentionGfs] = SettingValue.Of("daily"),
            [SettingCatalog.ArchiveRules] = SettingValue.OfList(["every 7d keep 30d", "every 7d"]),
        });

        Assert.Equal(SettingCatalog.IncrementalFileInterval, Assert.Throws<InvalidInputException>(() => settings.Interval(SettingCatalog.IncrementalFileInterval)).Field);
        Assert.Equal(SettingCatalog.FullFileWindow, Assert.Throws<InvalidInputException>(() => settings.Window(SettingCatalog.FullFileWindow)).Field);
        Assert.Equal(SettingCatalog.SoftClientQuota, Assert.Throws<InvalidInputException>(() => settings.Quota(SettingCatalog.SoftClientQuota)).Field);
        Assert.Equal(SettingCatalog.RetentionGfs, Assert.Throws<InvalidInputException>(() => settings.Gfs(SettingCatalog.RetentionGfs)).Field);
        Assert.Equal("archive_rules[1]", Assert.Throws<InvalidInputException>(() => settings.ArchivalRules(SettingCatalog.ArchiveRules)).Field);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static SettingSource Source(EffectiveSettings settings, string key) => settings.All.Single(s => s.Definition.Key == key).Source;

    private static Dictionary<string, SettingValue> Rules(bool merge, params string[] rules) =>
        new() { [SettingCatalog.ArchiveRules] = SettingCatalog.Get(SettingCatalog.ArchiveRules).Normalize(SettingValue.OfList(rules, merge)) };
}
