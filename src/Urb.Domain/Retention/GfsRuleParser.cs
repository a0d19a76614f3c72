using System.Globalization;
using System.Text.RegularExpressions;
using Urb.Domain.Errors;

namespace Urb.Domain.Retention;

/// <summary>
/// The text of a <see cref="GfsRule"/> setting: <c>daily 7, weekly 4, monthly 12, yearly 3</c>
/// (the form <see cref="GfsRule.ToString"/> writes, with or without the leading <c>keep</c>;
/// <c>daily=7</c> also works; a period left out keeps 0). Empty text means no GFS rule.
/// </summary>
public static partial class GfsRuleParser
{
    private static readonly string[] Periods = ["daily", "weekly", "monthly", "yearly"];

    /// <summary>The rule, or null for empty text; <see cref="InvalidInputException"/> naming <paramref name="field"/>.</summary>
    public static GfsRule? Parse(string? text, string field = "retention_gfs")
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0 || trimmed == "-")
        {
            return null;
        }
        var body = trimmed.StartsWith("keep ", StringComparison.OrdinalIgnoreCase) ? trimmed[5..] : trimmed;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in body.Split(',', StringSplitOptions.TrimEntries))
        {
            var match = Item().Match(part);
            if (!match.Success)
            {
                throw new InvalidInputException(field,
                    $"'{part}' in '{trimmed}' is not a period with a count; write e.g. 'daily 7, weekly 4, monthly 12, yearly 3'.");
            }
            var period = match.Groups[1].Value.ToLowerInvariant();
            if (!int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 100_000)
            {
                throw new InvalidInputException(field, $"The count of '{period}' in '{trimmed}' is too large.");
            }
            if (!counts.TryAdd(period, count))
            {
                throw new InvalidInputException(field, $"'{period}' is given twice in '{trimmed}'.");
            }
        }
        int Count(string period) => counts.GetValueOrDefault(period);
        try
        {
            return new GfsRule(Count(Periods[0]), Count(Periods[1]), Count(Periods[2]), Count(Periods[3]));
        }
        catch (InvalidInputException e)
        {
            // The rule names its own fields (keep_daily); the text is the caller's field.
            throw new InvalidInputException(field, $"'{trimmed}' keeps nothing. {e.Message}");
        }
    }

    [GeneratedRegex(@"^(daily|weekly|monthly|yearly)\s*[= ]\s*([0-9]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Item();
}
