using System.Globalization;
using Urb.Domain.Errors;
using Urb.Domain.Retention;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Settings;

/// <summary>
/// A setting the server knows: its key, kind, built-in default and whether only the global layer
/// may set it. <see cref="Normalize"/> checks a value and returns it in one canonical form.
/// </summary>
public sealed record SettingDefinition(string Key, SettingKind Kind, SettingValue Default, string Description, bool GlobalOnly = false)
{
    public const int MaxItems = 1000;
    public const int MaxTextLength = 4096;

    /// <summary>The value checked and made canonical; <see cref="InvalidInputException"/> naming the key when it is not valid.</summary>
    public SettingValue Normalize(SettingValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Kind.IsList())
        {
            if (value.Text.Length > 0) throw Invalid("is a list: give items, not text");
            if (value.Items.Count > MaxItems) throw Invalid($"has at most {MaxItems} items");
            var items = value.Items.Select(i => (i ?? "").Trim()).ToArray();
            if (items.Any(i => i.Length is 0 or > MaxTextLength || i.Any(char.IsControl)))
            {
                throw Invalid($"items are 1–{MaxTextLength} printable characters");
            }
            if (Kind == SettingKind.ArchivalRules)
            {
                // Stored in the rules' canonical text, so the same rule keeps one id (its text).
                items = items.Select((item, i) => NormalizeText(() => ArchivalRule.Parse(item, $"{Key}[{i}]").Id)).ToArray();
            }
            return SettingValue.OfList(items.Distinct(StringComparer.Ordinal), value.Merge);
        }
        if (value.Items.Count > 0 || value.Merge) throw Invalid("is a single value: give text, not items");
        var text = (value.Text ?? "").Trim();
        return SettingValue.Of(NormalizeText(() => Kind switch
        {
            SettingKind.Bool => bool.TryParse(text, out var b) ? (b ? "true" : "false") : throw Invalid("is true or false"),
            SettingKind.Bandwidth => NormalizeTimeDependent(text, s => ParseBandwidth(s)),
            SettingKind.Interval => NormalizeTimeDependent(text, BackupInterval.ParseOne),
            SettingKind.Window => BackupWindow.Parse(text, Key).IsAlways ? "1-7/0-24" : text,
            SettingKind.Count => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : throw Invalid("is a whole number from 0"),
            SettingKind.Quota => SoftQuota.Parse(text, Key).IsNone ? "" : text,
            SettingKind.Gfs => GfsRuleParser.Parse(text, Key)?.ToString() ?? "",
            _ => throw new InvalidOperationException($"unknown kind {Kind}"),
        }));
    }

    /// <summary>Runs a grammar; its messages say what is wrong in the text, this adds which setting it is.</summary>
    private string NormalizeText(Func<string> normalize)
    {
        try
        {
            return normalize();
        }
        catch (InvalidInputException e) when (!e.Message.StartsWith("Setting '", StringComparison.Ordinal))
        {
            throw new InvalidInputException(Key, $"Setting '{Key}': {e.Message}");
        }
    }

    /// <summary>A bandwidth value: Mbit/s (0 = no limit), or a percentage of the global limit with '%'.</summary>
    public static BandwidthLimit ParseBandwidth(string text)
    {
        var t = text.Trim();
        var percent = t.EndsWith('%');
        var number = percent ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n < 0 || (percent && n > 100))
        {
            throw new FormatException("expected Mbit/s (0 for no limit) or a percentage like 50%");
        }
        return new BandwidthLimit(n, percent);
    }

    private string NormalizeTimeDependent<T>(string text, Func<string, T> parseOne)
    {
        // Parsed for its errors; stored as written, in one canonical spacing.
        TimeDependentValue.Parse(text, parseOne, Key);
        return string.Join(";", text.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0));
    }

    private InvalidInputException Invalid(string rule) => new(Key, $"Setting '{Key}' {rule}.");
}

/// <summary>A bandwidth limit: Mbit/s, or a percentage of the global limit.</summary>
public readonly record struct BandwidthLimit(double Value, bool IsPercentage)
{
    public bool IsUnlimited => !IsPercentage && Value == 0;

    /// <summary>Bytes per second, given the global limit in Mbit/s (0 = none); null when unlimited.</summary>
    public double? BytesPerSecond(double globalMbits)
    {
        var mbits = IsPercentage ? (globalMbits > 0 ? globalMbits * Value / 100 : 0) : Value;
        return mbits > 0 ? mbits * 1_000_000 / 8 : null;
    }
}
