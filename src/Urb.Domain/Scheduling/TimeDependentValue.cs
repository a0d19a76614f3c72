using System.Globalization;
using Urb.Domain.Errors;

namespace Urb.Domain.Scheduling;

/// <summary>Parsing of <see cref="TimeDependentValue{T}"/> text.</summary>
public static class TimeDependentValue
{
    /// <summary>Parses a whole number (optional sign, invariant culture); throws <see cref="FormatException"/>.</summary>
    public static readonly Func<string, int> IntParser = s =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException("not a whole number");

    /// <summary>
    /// Parses <c>default;value@window;value@window…</c>. Parts are separated by <c>;</c>; the first
    /// is the default and has no <c>@</c>. A part without <c>@</c> after a rule continues that
    /// rule's window (<c>1;5@1-5/8-9;6/10-12</c> is 5 on weekday mornings and Saturday late
    /// morning), since a window itself is <c>;</c>-separated. One trailing <c>;</c> is tolerated.
    /// </summary>
    /// <param name="text">The setting text.</param>
    /// <param name="valueParser">Turns one value into <typeparamref name="T"/>; may throw
    /// <see cref="FormatException"/>, <see cref="OverflowException"/>, <see cref="ArgumentException"/>
    /// or <see cref="InvalidInputException"/>, which become an <see cref="InvalidInputException"/>
    /// naming the part.</param>
    /// <param name="field">The request field named in errors.</param>
    public static TimeDependentValue<T> Parse<T>(string? text, Func<string, T> valueParser, string field = "value")
    {
        ArgumentNullException.ThrowIfNull(valueParser);
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw new InvalidInputException(field, "No value given; expected a default like '60', optionally followed by ';value@window'.");
        }
        var parts = trimmed.Split(';').Select(p => p.Trim()).ToList();
        if (parts.Count > 1 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }
        if (parts[0].Length == 0)
        {
            throw new InvalidInputException(field, $"Part 1 is empty in '{BackupWindowParser.Quote(trimmed)}'; the default value comes first.");
        }
        if (parts[0].Contains('@', StringComparison.Ordinal))
        {
            throw new InvalidInputException(field,
                $"Part 1 ('{BackupWindowParser.Quote(parts[0])}') is the default value and cannot have '@window'; write e.g. '60;{BackupWindowParser.Quote(parts[0])}'.");
        }
        var defaultValue = ParseValue(parts[0], valueParser, field, "part 1 (the default)");

        // Each rule: its value text, its window pieces, and the part number it started at.
        var rules = new List<(string Value, List<string> Window, int Part)>();
        for (var i = 1; i < parts.Count; i++)
        {
            var part = parts[i];
            var where = $"part {i + 1} ('{BackupWindowParser.Quote(part)}')";
            if (part.Length == 0)
            {
                throw new InvalidInputException(field, $"Part {i + 1} is empty (two ';' in a row) in '{BackupWindowParser.Quote(trimmed)}'.");
            }
            var at = part.IndexOf('@', StringComparison.Ordinal);
            if (at < 0)
            {
                if (rules.Count == 0)
                {
                    throw new InvalidInputException(field, $"{where}: expected 'value@window'.");
                }
                rules[^1].Window.Add(part);
                continue;
            }
            if (part.IndexOf('@', at + 1) >= 0)
            {
                throw new InvalidInputException(field, $"{where}: more than one '@'.");
            }
            var value = part[..at].Trim();
            var window = part[(at + 1)..].Trim();
            if (value.Length == 0)
            {
                throw new InvalidInputException(field, $"{where}: no value before '@'.");
            }
            if (window.Length == 0)
            {
                throw new InvalidInputException(field, $"{where}: no window after '@'.");
            }
            rules.Add((value, [window], i + 1));
        }

        var parsed = new List<TimedValue<T>>(rules.Count);
        foreach (var (valueText, windowParts, part) in rules)
        {
            var where = $"part {part} ('{BackupWindowParser.Quote(valueText + "@" + windowParts[0])}')";
            var value = ParseValue(valueText, valueParser, field, where);
            var window = BackupWindow.Parse(string.Join(';', windowParts), field, where + ": ");
            parsed.Add(new TimedValue<T>(value, window));
        }
        return new TimeDependentValue<T>(defaultValue, parsed);
    }

    /// <summary><see cref="Parse{T}"/> with <see cref="IntParser"/>: intervals, bandwidth, counts.</summary>
    public static TimeDependentValue<int> ParseInt(string? text, string field = "value") =>
        Parse(text, IntParser, field);

    private static T ParseValue<T>(string text, Func<string, T> parser, string field, string where)
    {
        try
        {
            return parser(text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or InvalidInputException)
        {
            throw new InvalidInputException(field, $"{where}: value '{BackupWindowParser.Quote(text)}' is not valid ({ex.Message}).");
        }
    }
}
