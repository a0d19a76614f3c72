using Urb.Domain.Settings;
using V1 = Urb.Contracts.Settings.V1;

namespace Urb.Contracts.Settings;

/// <summary>Settings between the domain and the wire (urb.settings.v1), in one place for every service and the agent.</summary>
public static class SettingsMessages
{
    public static V1.SettingValue ToMessage(this SettingValue value) =>
        new() { Text = value.Text, Items = { value.Items }, Merge = value.Merge };

    public static SettingValue FromMessage(V1.SettingValue? value) =>
        value is null ? SettingValue.Of("") : new SettingValue(value.Text ?? "", value.Items.ToArray(), value.Merge);

    public static V1.EffectiveSettings ToMessage(this EffectiveSettings settings, Guid clientId) => new()
    {
        ClientId = clientId.ToString(),
        Settings =
        {
            settings.All.Select(s => new V1.EffectiveSetting
            {
                Key = s.Definition.Key,
                Value = s.Value.ToMessage(),
                Source = s.Source switch
                {
                    SettingSource.Global => V1.SettingSource.Global,
                    SettingSource.Tenant => V1.SettingSource.Tenant,
                    SettingSource.Client => V1.SettingSource.Client,
                    _ => V1.SettingSource.Default,
                },
            }),
        },
    };

    /// <summary>Effective settings as received; keys this side does not know are ignored, missing ones take their defaults.</summary>
    public static EffectiveSettings FromMessage(V1.EffectiveSettings message) =>
        EffectiveSettings.FromResolved(message.Settings
            .Where(s => SettingCatalog.Find(s.Key) is not null)
            .GroupBy(s => s.Key)
            .ToDictionary(g => g.Key, g => FromMessage(g.Last().Value)));
}
