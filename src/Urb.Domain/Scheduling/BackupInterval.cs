using System.Globalization;

namespace Urb.Domain.Scheduling;

/// <summary>
/// How long after the last successful backup of a type the next one is due, or off.
/// Text: a whole number with a unit, <c>90min</c>, <c>5h</c>, <c>30d</c>, <c>2w</c>; <c>off</c>
/// (or a negative number, as UrBackup writes it) switches the type off. Intervals may depend on
/// the time as every time-dependent setting does: <c>5h;1h@1-5/8-18</c>.
/// </summary>
public readonly record struct BackupInterval
{
    /// <summary>The longest interval accepted (about ten years): longer is a typo, not a schedule.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(3660);

    private BackupInterval(TimeSpan? length) => Length = length;

    public static BackupInterval Off { get; } = new(null);

    /// <summary>Null when the type is switched off.</summary>
    public TimeSpan? Length { get; }

    public bool IsOff => Length is null;

    public static BackupInterval Of(TimeSpan length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Max);
        return new BackupInterval(length);
    }

    /// <summary>One interval (no <c>@window</c>); <see cref="FormatException"/> says what is expected.</summary>
    public static BackupInterval ParseOne(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t is "off" or "never" || (t.StartsWith('-') && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            return Off;
        }
        if (t.Length > 0 && t.All(char.IsAsciiDigit))
        {
            throw new FormatException($"'{text.Trim()}' has no unit: write e.g. {t}h (min, h, d or w)");
        }
        // Minutes are "min": a bare "m" would be read as months by someone, and "1m" then starts a
        // full backup every minute instead of every month.
        var minutes = t.EndsWith("min", StringComparison.Ordinal);
        var digits = minutes ? t[..^3] : t.Length > 0 ? t[..^1] : "";
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw new FormatException($"'{text.Trim()}' is not an interval: expected a whole number with a unit (90min, 5h, 30d, 2w), or 'off'");
        }
        var unit = minutes ? TimeSpan.FromMinutes(1) : t[^1] switch
        {
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            'w' => TimeSpan.FromDays(7),
            'm' => throw new FormatException($"'{text.Trim()}' is ambiguous: write {digits}min for minutes, or days (30d) for about a month"),
            _ => throw new FormatException($"'{text.Trim()}' has an unknown unit '{t[^1]}': use min, h, d or w"),
        };
        // The digits are ASCII, so a number that does not parse is too large for a long.
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > Max.Ticks / unit.Ticks)
        {
            throw new FormatException($"'{text.Trim()}' is longer than {Max.Days} days");
        }
        if (count == 0)
        {
            throw new FormatException($"'{text.Trim()}' is zero: an interval is at least 1min; write 'off' to switch the backups off");
        }
        return Of(unit * count);
    }

    /// <summary>The setting text, possibly time-dependent; <see cref="Errors.InvalidInputException"/> naming <paramref name="field"/>.</summary>
    public static TimeDependentValue<BackupInterval> Parse(string? text, string field = "interval") =>
        TimeDependentValue.Parse(text, ParseOne, field);

    public override string ToString() => Length is not { } l ? "off"
        : l.TotalDays >= 1 && l.Ticks % TimeSpan.TicksPerDay == 0 ? $"{(long)l.TotalDays}d"
        : l.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)l.TotalHours}h"
        : $"{(long)l.TotalMinutes}min";
}
