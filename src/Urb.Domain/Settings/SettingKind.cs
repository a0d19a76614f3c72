namespace Urb.Domain.Settings;

/// <summary>What a setting's text means, and so how it is checked.</summary>
public enum SettingKind
{
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,
    /// <summary>A time span like <c>5h</c>, <c>30d</c>, <c>90m</c>, <c>2w</c>; <c>off</c> (or 0, or a negative number) switches the thing off.</summary>
    Interval,
    /// <summary>A backup window in UrBackup's grammar (<c>1-5/8-19;6,7/0-24</c>).</summary>
    Window,
    /// <summary>A time-dependent whole number (<c>60;10@Mon-Fri/8-18</c>); for bandwidth, Mbit/s, or a percentage with <c>%</c>.</summary>
    Bandwidth,
    /// <summary>A list of strings (paths, patterns); a layer can replace the inherited list or add to it.</summary>
    List,
}
