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
    /// <summary>A time-dependent backup interval: <c>5h</c>, <c>30d</c>, <c>off</c>, <c>5h;1h@1-5/8-18</c>.</summary>
    Interval,
    /// <summary>A backup window in UrBackup's grammar: <c>1-5/8-19;6,7/0-24</c>.</summary>
    Window,
    /// <summary>A whole number from 0.</summary>
    Count,
    /// <summary>A soft quota: empty (none), <c>20G</c> (powers of 1024) or <c>10%</c> of the storage's capacity.</summary>
    Quota,
    /// <summary>Keep-daily/weekly/monthly/yearly retention (<c>daily 7, weekly 4, monthly 12</c>), or empty for retention by count.</summary>
    Gfs,
    /// <summary>A list of archival rules (<c>every 7d keep 30d of full-file</c>); merges like <see cref="List"/>.</summary>
    ArchivalRules,
}

public static class SettingKindExtensions
{
    /// <summary>Whether values of the kind are lists (items, merge) rather than text.</summary>
    public static bool IsList(this SettingKind kind) => kind is SettingKind.List or SettingKind.ArchivalRules;
}
