namespace Urb.Domain.Settings;

/// <summary>What a setting's text means, and so how it is checked.</summary>
public enum SettingKind
{
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,
    /// <summary>A time-dependent whole number (<c>60;10@Mon-Fri/8-18</c>); for bandwidth, Mbit/s, or a percentage with <c>%</c>.</summary>
    Bandwidth,
    /// <summary>A list of strings (paths, patterns); a layer can replace the inherited list or add to it.</summary>
    List,
}
