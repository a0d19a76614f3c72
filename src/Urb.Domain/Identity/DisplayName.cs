using Urb.Domain.Errors;

namespace Urb.Domain.Identity;

/// <summary>The rule for names people give things (tenants, API keys): printable, 1–128 characters.</summary>
public static class DisplayName
{
    public const int MaxLength = 128;

    public static string Validate(string? name, string field = "name", string what = "A name")
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is 0 or > MaxLength || trimmed.Any(char.IsControl))
        {
            throw new InvalidInputException(field, $"{what} is 1–{MaxLength} printable characters; got {trimmed.Length} characters.");
        }
        return trimmed;
    }
}
