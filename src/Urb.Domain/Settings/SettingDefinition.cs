using System.Globalization;
using Urb.Domain.Errors;
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
        if (Kind == SettingKind.List)
        {
            if (value.Text.Length > 0) throw Invalid("is a list: give items, not text");
            if (value.Items.Count > MaxItems) throw Invalid($"has at most {MaxItems} items");
            var items = value.Items.Select(i => (i ?? "").Trim()).ToArray();
            if (items.Any(i => i.Length is 0 or > MaxTextLength || i.Any(char.IsControl)))
            {
                throw Invalid($"items are 1–{MaxTextLength} printable characters");
            }
            return SettingValue.OfList(items.Distinct(StringComparer.Ordinal), value.Merge);
        }
        if (value.Items.Count > 0 || value.Merge) throw Invalid("is a single value: give text, not items");
        var text = (value.Text ?? "").Trim();
        try
        {
            return SettingValue.Of(Kind switch
            {
                SettingKind.Bool => bool.TryParse(text, out var b) ? (b ? "true" : "false") : throw Invalid("is true or false"),
                SettingKind.Bandwidth => NormalizeBandwidth(text),
                _ => throw new InvalidOperationException($"unknown kind {Kind}"),
            });
        }
        catch (InvalidInputException e) when (!e.Message.StartsWith("Setting '", StringComparison.Ordinal))
        {
            // The grammars' messages say what is wrong in the text; say which setting it is.
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

    private string NormalizeBandwidth(string text)
    {
        // Parsed for its errors; stored as written, in one canonical spacing.
        TimeDependentValue.Parse(text, s => ParseBandwidth(s), Key);
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
