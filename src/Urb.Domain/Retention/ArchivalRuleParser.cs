using System.Globalization;
using Urb.Domain.Errors;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Retention;

/// <summary>The grammar of <see cref="ArchivalRule.Parse"/>; every failure quotes the rule and says what is wrong.</summary>
internal static class ArchivalRuleParser
{
    private const string Example = "as in 'every 7d keep 30d' or 'every 1m keep forever of full-file'";
    private const string Units = "h (hours), d (days), w (weeks), m (months) or y (years)";

    private static readonly (string Name, BackupTypes Scope)[] Scopes =
    [
        ("any", BackupTypes.Any),
        ("file", BackupTypes.File),
        ("image", BackupTypes.Image),
        ("incremental-file", BackupTypes.IncrementalFile),
        ("full-file", BackupTypes.FullFile),
        ("incremental-image", BackupTypes.IncrementalImage),
        ("full-image", BackupTypes.FullImage),
    ];

    public static string ScopeName(BackupTypes scope) =>
        Scopes.FirstOrDefault(s => s.Scope == scope).Name ?? scope.ToString();

    public static ArchivalRule Parse(string? text, string field)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw new InvalidInputException(field, $"No archival rule given; write one {Example}.");
        }
        var tokens = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        CalendarPeriod? every = null;
        (bool Seen, CalendarPeriod? Period) keep = (false, null);
        BackupTypes? scope = null;
        for (var i = 0; i < tokens.Length; i += 2)
        {
            var word = tokens[i].ToLowerInvariant();
            if (word is not ("every" or "keep" or "of"))
            {
                throw Fail(field, trimmed, $"'{BackupWindowParser.Quote(tokens[i])}' is not part of a rule; expected 'every', 'keep' or 'of'");
            }
            if (i + 1 >= tokens.Length)
            {
                throw Fail(field, trimmed, word switch
                {
                    "every" => "'every' needs a period after it, as in 'every 7d'",
                    "keep" => "'keep' needs a period or 'forever' after it, as in 'keep 30d'",
                    _ => "'of' needs backup types after it, as in 'of full-file'",
                });
            }
            var value = tokens[i + 1];
            var seen = word switch { "every" => every is not null, "keep" => keep.Seen, _ => scope is not null };
            if (seen)
            {
                throw Fail(field, trimmed, $"'{word}' appears twice");
            }
            switch (word)
            {
                case "every":
                    if (value.Equals("forever", StringComparison.OrdinalIgnoreCase))
                    {
                        throw Fail(field, trimmed, "'every' needs a period; 'forever' is only for 'keep'");
                    }
                    every = ParsePeriod(value, field, trimmed);
                    break;
                case "keep":
                    keep = (true, value.Equals("forever", StringComparison.OrdinalIgnoreCase) ? null : ParsePeriod(value, field, trimmed));
                    break;
                default:
                    scope = ParseScope(value, field, trimmed);
                    break;
            }
        }
        if (every is null)
        {
            throw Fail(field, trimmed, $"'every PERIOD' is missing, {Example}");
        }
        if (!keep.Seen)
        {
            throw Fail(field, trimmed, $"'keep PERIOD' or 'keep forever' is missing, {Example}");
        }
        return new ArchivalRule(every.Value, keep.Period, scope ?? BackupTypes.Any);
    }

    private static CalendarPeriod ParsePeriod(string token, string field, string text)
    {
        var digits = 0;
        while (digits < token.Length && char.IsAsciiDigit(token[digits]))
        {
            digits++;
        }
        if (digits == 0)
        {
            throw Fail(field, text, $"'{BackupWindowParser.Quote(token)}' is not a period like 7d (a count and one of {Units})");
        }
        var unitText = token[digits..];
        if (unitText.Length == 0)
        {
            throw Fail(field, text, $"period '{BackupWindowParser.Quote(token)}' needs a unit: {Units}");
        }
        PeriodUnit? unit = unitText.ToLowerInvariant() switch
        {
            "h" => PeriodUnit.Hour,
            "d" => PeriodUnit.Day,
            "w" => PeriodUnit.Week,
            "m" => PeriodUnit.Month,
            "y" => PeriodUnit.Year,
            _ => null,
        };
        if (unit is null)
        {
            throw Fail(field, text, $"unknown unit '{BackupWindowParser.Quote(unitText)}' in '{BackupWindowParser.Quote(token)}'; use {Units}");
        }
        var countText = token[..digits].TrimStart('0');
        if (countText.Length is 0 or > 4)
        {
            throw Fail(field, text, $"the count in '{BackupWindowParser.Quote(token)}' is not 1–{CalendarPeriod.MaxCount}");
        }
        return new CalendarPeriod(int.Parse(countText, NumberStyles.None, CultureInfo.InvariantCulture), unit.Value);
    }

    private static BackupTypes ParseScope(string token, string field, string text)
    {
        var name = token.ToLowerInvariant().Replace('_', '-');
        if (name.StartsWith("incr-", StringComparison.Ordinal))
        {
            name = "incremental-" + name["incr-".Length..];
        }
        foreach (var (scopeName, scope) in Scopes)
        {
            if (name == scopeName)
            {
                return scope;
            }
        }
        throw Fail(field, text, $"'{BackupWindowParser.Quote(token)}' is not a backup type; expected {string.Join(", ", Scopes.Select(s => s.Name))}");
    }

    private static InvalidInputException Fail(string field, string text, string problem) =>
        new(field, $"Archival rule '{BackupWindowParser.Quote(text)}': {problem}.");
}
