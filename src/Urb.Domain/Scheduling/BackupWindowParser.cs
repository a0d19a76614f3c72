using System.Globalization;
using Urb.Domain.Errors;

namespace Urb.Domain.Scheduling;

/// <summary>
/// Turns window text into one flag per minute of the week. Every failure names the window by
/// its 1-based position and quotes it, so a long schedule can be fixed without guessing.
/// </summary>
internal static class BackupWindowParser
{
    private const string DayRule = "is not 0–7 or a day name";

    private static readonly Dictionary<string, int> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = 0, ["monday"] = 0,
        ["tue"] = 1, ["tuesday"] = 1,
        ["wed"] = 2, ["wednesday"] = 2,
        ["thu"] = 3, ["thursday"] = 3,
        ["fri"] = 4, ["friday"] = 4,
        ["sat"] = 5, ["saturday"] = 5,
        ["sun"] = 6, ["sunday"] = 6,
    };

    /// <param name="text">Trimmed, non-empty, not <c>*</c>.</param>
    /// <param name="context">Prefix for messages when the window is part of a larger string.</param>
    public static bool[] Parse(string text, string field, string context)
    {
        var minutes = new bool[BackupWindow.MinutesInWeek];
        var specs = text.Split(';');
        var count = specs.Length;
        // UrBackup drops empty tokens; we forgive only the common trailing ';' and reject ';;'.
        if (count > 1 && string.IsNullOrWhiteSpace(specs[^1]))
        {
            count--;
        }
        for (var i = 0; i < count; i++)
        {
            var spec = specs[i].Trim();
            if (spec.Length == 0)
            {
                throw new InvalidInputException(field,
                    $"{context}window {i + 1} is empty (a leading ';' or two ';' in a row) in '{Quote(text)}'.");
            }
            ParseSpec(spec, minutes, field, $"{context}window {i + 1} ('{Quote(spec)}')");
        }
        return minutes;
    }

    private static void ParseSpec(string spec, bool[] minutes, string field, string where)
    {
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw Fail(field, where, "missing '/' between the days and the hours, as in 1-5/8-19");
        }
        if (spec.IndexOf('/', slash + 1) >= 0)
        {
            throw Fail(field, where, "more than one '/'; separate windows with ';'");
        }
        var daysText = spec[..slash].Trim();
        var hoursText = spec[(slash + 1)..].Trim();
        if (daysText.Length == 0)
        {
            throw Fail(field, where, "no days before '/'");
        }
        if (hoursText.Length == 0)
        {
            throw Fail(field, where, "no hours after '/'");
        }
        var days = ParseDays(daysText, field, where);
        var ranges = ParseHours(hoursText, field, where);
        for (var day = 0; day < 7; day++)
        {
            if (!days[day])
            {
                continue;
            }
            foreach (var (start, end) in ranges)
            {
                // A wrapped range runs on into the next morning (Sunday's into Monday's).
                var length = end > start ? end - start : end + BackupWindow.MinutesPerDay - start;
                var first = day * BackupWindow.MinutesPerDay + start;
                for (var k = 0; k < length; k++)
                {
                    minutes[(first + k) % BackupWindow.MinutesInWeek] = true;
                }
            }
        }
    }

    private static bool[] ParseDays(string text, string field, string where)
    {
        var days = new bool[7];
        foreach (var raw in text.Split(','))
        {
            var token = raw.Trim();
            if (token.Length == 0)
            {
                throw Fail(field, where, $"empty day in '{Quote(text)}'");
            }
            var parts = token.Split('-');
            if (parts.Length > 2)
            {
                throw Fail(field, where, $"day range '{Quote(token)}' has more than one '-'");
            }
            if (parts.Length == 1)
            {
                days[ParseDay(parts[0], field, where).Index] = true;
                continue;
            }
            if (parts[0].Trim().Length == 0)
            {
                throw Fail(field, where, $"day range '{Quote(token)}' is missing its first day");
            }
            if (parts[1].Trim().Length == 0)
            {
                throw Fail(field, where, $"day range '{Quote(token)}' is missing its last day");
            }
            var from = ParseDay(parts[0], field, where);
            var to = ParseDay(parts[1], field, where);
            if (from.Number == 0 && to.Number == 7)
            {
                Array.Fill(days, true);
                continue;
            }
            // Walk forward so 6-2 wraps the week: Sat, Sun, Mon, Tue.
            for (var d = from.Index; ; d = (d + 1) % 7)
            {
                days[d] = true;
                if (d == to.Index)
                {
                    break;
                }
            }
        }
        return days;
    }

    /// <returns>Index Monday = 0 … Sunday = 6, and the number as written (-1 for a name).</returns>
    private static (int Index, int Number) ParseDay(string raw, string field, string where)
    {
        var token = raw.Trim();
        if (DayNames.TryGetValue(token, out var named))
        {
            return (named, -1);
        }
        if (token.Length is > 0 and <= 4 && token.All(char.IsAsciiDigit))
        {
            var number = int.Parse(token, NumberStyles.None, CultureInfo.InvariantCulture);
            if (number <= 7)
            {
                return ((number + 6) % 7, number);
            }
            throw Fail(field, where, $"day {number} {DayRule}");
        }
        throw Fail(field, where, $"day '{Quote(token)}' {DayRule}");
    }

    private static List<(int Start, int End)> ParseHours(string text, string field, string where)
    {
        var ranges = new List<(int, int)>();
        foreach (var raw in text.Split(','))
        {
            var token = raw.Trim();
            if (token.Length == 0)
            {
                throw Fail(field, where, $"empty hour range in '{Quote(text)}'");
            }
            var parts = token.Split('-');
            if (parts.Length == 1)
            {
                throw Fail(field, where, $"hour range '{Quote(token)}' needs a start and an end, as in 8-19");
            }
            if (parts.Length > 2)
            {
                throw Fail(field, where, $"hour range '{Quote(token)}' has more than one '-'");
            }
            if (parts[0].Trim().Length == 0)
            {
                throw Fail(field, where, $"hour range '{Quote(token)}' is missing its start");
            }
            if (parts[1].Trim().Length == 0)
            {
                throw Fail(field, where, $"hour range '{Quote(token)}' is missing its end");
            }
            var start = ParseTime(parts[0], field, where);
            var end = ParseTime(parts[1], field, where);
            if (start == BackupWindow.MinutesPerDay)
            {
                throw Fail(field, where, $"hour range '{Quote(token)}' starts at 24:00; start at 0 instead");
            }
            if (start == end)
            {
                throw Fail(field, where, $"hour range '{Quote(token)}' is empty (start equals end); 0-24 is the whole day");
            }
            ranges.Add((start, end));
        }
        return ranges;
    }

    /// <returns>Minutes since midnight, 0 … 1440.</returns>
    private static int ParseTime(string raw, string field, string where)
    {
        var token = raw.Trim();
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        var hourText = colon < 0 ? token : token[..colon];
        var minuteText = colon < 0 ? null : token[(colon + 1)..];
        if (hourText.Length is 0 or > 4 || !hourText.All(char.IsAsciiDigit))
        {
            throw Fail(field, where, $"'{Quote(token)}' is not a time like 8 or 8:30");
        }
        var hour = int.Parse(hourText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (hour > 24)
        {
            throw Fail(field, where, $"hour {hour} is not 0–24");
        }
        if (minuteText is null)
        {
            return hour * 60;
        }
        if (minuteText.Length != 2 || !minuteText.All(char.IsAsciiDigit))
        {
            throw Fail(field, where, $"'{Quote(token)}' is not a time like 8 or 8:30 (minutes are two digits)");
        }
        var minute = int.Parse(minuteText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (minute > 59)
        {
            throw Fail(field, where, $"minute {minute} in '{token}' is not 0–59");
        }
        if (hour == 24 && minute > 0)
        {
            throw Fail(field, where, $"'{token}' is past the end of the day; 24:00 is the latest");
        }
        return hour * 60 + minute;
    }

    private static InvalidInputException Fail(string field, string where, string problem) =>
        new(field, $"{where}: {problem}.");

    internal static string Quote(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
