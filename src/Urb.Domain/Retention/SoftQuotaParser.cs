using System.Globalization;
using Urb.Domain.Errors;
using Urb.Domain.Scheduling;

namespace Urb.Domain.Retention;

/// <summary>The grammar of <see cref="SoftQuota.Parse"/>; every failure quotes the text and says what is expected.</summary>
internal static class SoftQuotaParser
{
    private const string TooLarge = "it is too large (at most 8 EiB)";
    private const string Expected = "expected a size like 500M, 20G or 2T (powers of 1024), a percentage like 10%, or '-' for none";

    public static SoftQuota Parse(string? text, string field)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0 || trimmed == "-")
        {
            return SoftQuota.None;
        }
        var numberEnd = 0;
        while (numberEnd < trimmed.Length && (char.IsAsciiDigit(trimmed[numberEnd]) || trimmed[numberEnd] is '.' or ',' or '-' or '+'))
        {
            numberEnd++;
        }
        var numberText = trimmed[..numberEnd];
        var unit = trimmed[numberEnd..].Trim();
        var number = ParseNumber(numberText, trimmed, field);

        if (unit == "%")
        {
            if (number > 100m)
            {
                throw Fail(field, trimmed, "a percentage is at most 100%");
            }
            return SoftQuota.OfPercent(number);
        }
        var shift = UnitShift(unit, trimmed, field);
        if (shift == 0 && number != decimal.Truncate(number))
        {
            throw Fail(field, trimmed, "a size without a unit is whole bytes; write e.g. 1536M instead of 1.5G in bytes");
        }
        var size = (decimal)(1L << shift);
        if (number > long.MaxValue / size || decimal.Truncate(number * size) > long.MaxValue)
        {
            throw Fail(field, trimmed, TooLarge);
        }
        return SoftQuota.OfBytes((long)decimal.Truncate(number * size));
    }

    private static decimal ParseNumber(string numberText, string text, string field)
    {
        if (numberText.Length == 0)
        {
            throw Fail(field, text, "it does not start with a number");
        }
        if (numberText[0] == '-')
        {
            throw Fail(field, text, "a quota cannot be negative");
        }
        if (numberText[0] == '+')
        {
            throw Fail(field, text, "write the number without a sign");
        }
        if (numberText.Contains(',', StringComparison.Ordinal))
        {
            throw Fail(field, text, "write fractions with '.', not ','");
        }
        var dot = numberText.IndexOf('.', StringComparison.Ordinal);
        if (numberText.AsSpan(1).ContainsAny('-', '+')
            || (dot >= 0 && (dot == 0 || dot == numberText.Length - 1 || numberText.IndexOf('.', dot + 1) >= 0)))
        {
            throw Fail(field, text, $"'{numberText}' is not a number like 20 or 1.5");
        }
        if (!decimal.TryParse(numberText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw Fail(field, text, TooLarge);
        }
        return number;
    }

    /// <returns>The power of two the unit stands for: 0 for bytes, 10 for K … 40 for T.</returns>
    private static int UnitShift(string unit, string text, string field)
    {
        if (unit.Length == 0 || unit.Equals("B", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
        var shift = char.ToUpperInvariant(unit[0]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => -1,
        };
        var suffix = unit[1..];
        if (shift < 0 || !(suffix.Length == 0 || suffix.Equals("B", StringComparison.OrdinalIgnoreCase)
                                               || suffix.Equals("iB", StringComparison.OrdinalIgnoreCase)))
        {
            throw Fail(field, text, $"unknown unit '{BackupWindowParser.Quote(unit)}'; {Expected}");
        }
        return shift;
    }

    private static InvalidInputException Fail(string field, string text, string problem) =>
        new(field, $"Quota '{BackupWindowParser.Quote(text)}' is not valid: {problem}.");
}
