using Urb.Domain.Retention;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Settings;

/// <summary>Where an effective value came from.</summary>
public enum SettingSource
{
    Default,
    Global,
    Tenant,
    Client,
}

/// <summary>A setting's effective value and the most specific layer that shaped it.</summary>
public sealed record EffectiveSetting(SettingDefinition Definition, SettingValue Value, SettingSource Source);

/// <summary>
/// A client's settings after UrBackup's precedence: a client value overrides the tenant's, which
/// overrides the global one, which overrides the built-in default. A list value marked merge adds
/// its items to the list it inherits instead of replacing it.
/// </summary>
public sealed class EffectiveSettings
{
    private readonly Dictionary<string, EffectiveSetting> values;

    private EffectiveSettings(Dictionary<string, EffectiveSetting> values) => this.values = values;

    public IEnumerable<EffectiveSetting> All => SettingCatalog.All.Select(d => values[d.Key]);

    /// <summary>Resolves the layers (each a key → value map; unknown keys are ignored).</summary>
    public static EffectiveSettings Resolve(
        IReadOnlyDictionary<string, SettingValue> global,
        IReadOnlyDictionary<string, SettingValue> tenant,
        IReadOnlyDictionary<string, SettingValue> client)
    {
        var resolved = new Dictionary<string, EffectiveSetting>(StringComparer.Ordinal);
        foreach (var definition in SettingCatalog.All)
        {
            var current = new EffectiveSetting(definition, definition.Default, SettingSource.Default);
            foreach (var (layer, source) in new[] { (global, SettingSource.Global), (tenant, SettingSource.Tenant), (client, SettingSource.Client) })
            {
                if (definition.GlobalOnly && source != SettingSource.Global) continue;
                if (!layer.TryGetValue(definition.Key, out var value)) continue;
                current = new EffectiveSetting(definition, Apply(current.Value, value), source);
            }
            resolved[definition.Key] = current;
        }
        return new EffectiveSettings(resolved);
    }

    /// <summary>The effective settings from (key, value) pairs as the catalog stored them resolved (the form the agent and gateway receive).</summary>
    public static EffectiveSettings FromResolved(IReadOnlyDictionary<string, SettingValue> resolved) =>
        Resolve(resolved, new Dictionary<string, SettingValue>(), new Dictionary<string, SettingValue>());

    public SettingValue this[string key] => values[key].Value;

    public bool Bool(string key) => this[key].Text == "true";

    public IReadOnlyList<string> List(string key) => this[key].Items;

    public TimeDependentValue<BandwidthLimit> Bandwidth(string key) =>
        TimeDependentValue.Parse(this[key].Text, s => SettingDefinition.ParseBandwidth(s), key);

    public TimeDependentValue<BackupInterval> Interval(string key) => BackupInterval.Parse(this[key].Text, key);

    public BackupWindow Window(string key) => BackupWindow.Parse(this[key].Text, key);

    public int Count(string key) => int.Parse(this[key].Text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The min and max count the cleanup keeps of a type; <see cref="Errors.InvalidInputException"/> naming its min setting when min is above max.</summary>
    public CountLimits Limits(BackupType type)
    {
        var keys = BackupTypeSettings.Of(type);
        return new CountLimits(Count(keys.MinCount), Count(keys.MaxCount), keys.MinCount);
    }

    /// <summary>The client's retention: the min/max counts of all four types, and retention_gfs.</summary>
    public RetentionPolicy Retention() =>
        new(BackupTypeExtensions.All.ToDictionary(type => type, Limits), Gfs(SettingCatalog.RetentionGfs));

    public SoftQuota Quota(string key) => SoftQuota.Parse(this[key].Text, key);

    public GfsRule? Gfs(string key) => GfsRuleParser.Parse(this[key].Text, key);

    public IReadOnlyList<ArchivalRule> ArchivalRules(string key) =>
        this[key].Items.Select((item, i) => ArchivalRule.Parse(item, $"{key}[{i}]")).ToList();

    private static SettingValue Apply(SettingValue inherited, SettingValue layer) =>
        layer.Merge
            ? SettingValue.OfList(inherited.Items.Concat(layer.Items).Distinct(StringComparer.Ordinal))
            : layer with { Merge = false };
}
