using System.Text.RegularExpressions;
using Urb.Domain.Errors;

namespace Urb.Domain.Identity;

/// <summary>The rule for client names: short, printable, safe in paths, logs and URLs.</summary>
public static partial class ClientName
{
    public const int MaxLength = 64;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Allowed();

    public static string Validate(string? name, string field = "name")
    {
        var trimmed = (name ?? "").Trim();
        if (!Allowed().IsMatch(trimmed))
        {
            throw new InvalidInputException(field,
                $"A client name is 1–{MaxLength} characters of letters, digits, '.', '-' and '_', starting with a letter or digit; got '{Truncate(trimmed)}'.");
        }
        return trimmed;
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
