using Urb.Domain.Settings;

namespace Urb.Domain.Tests.Settings;

/// <summary>One settings layer (global, tenant or client) from (key, text) pairs, normalized as the catalog stores them.</summary>
internal static class Layers
{
    public static Dictionary<string, SettingValue> Of(params (string Key, string Text)[] values) =>
        values.ToDictionary(v => v.Key, v => SettingCatalog.Get(v.Key).Normalize(SettingValue.Of(v.Text)));
}
