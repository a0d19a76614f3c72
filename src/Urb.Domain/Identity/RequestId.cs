using Urb.Domain.Errors;

namespace Urb.Domain.Identity;

/// <summary>
/// The one rule for ids (tenants, clients) that arrive as text in a request: a UUID, never the
/// nil UUID (it is never issued, so receiving it means a caller forgot to set the field).
/// </summary>
public static class RequestId
{
    public static Guid Parse(string? text, string field) =>
        ParseOptional(text, field) ?? throw new InvalidInputException(field, $"{field} is required (a UUID).");

    /// <summary>Null for an empty field; <see cref="InvalidInputException"/> for anything but a UUID.</summary>
    public static Guid? ParseOptional(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return Guid.TryParse(text, out var id) && id != Guid.Empty
            ? id
            : throw new InvalidInputException(field, $"{field} '{text}' is not a UUID.");
    }
}
