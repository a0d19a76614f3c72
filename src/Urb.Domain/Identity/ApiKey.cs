using Urb.Domain.Errors;

namespace Urb.Domain.Identity;

/// <summary>
/// An API key for portals and operators: <c>urbk1.&lt;id&gt;.&lt;secret&gt;</c>. The id finds the
/// stored record (role, tenant, hash); the secret is shown once and only its hash is stored.
/// </summary>
public sealed record ApiKey(string Id, string Secret)
{
    private const string Prefix = "urbk1";
    private const int IdBytes = 12;
    private const int SecretBytes = 32;

    public static ApiKey Create() => new(SecretToken.NewPart(IdBytes), SecretToken.NewPart(SecretBytes));

    public override string ToString() => $"{Prefix}.{Id}.{Secret}";

    public static ApiKey Parse(string? text)
    {
        var parts = (text ?? "").Trim().Split('.');
        if (parts.Length != 3 || parts[0] != Prefix
            || SecretToken.TryDecodePart(parts[1], IdBytes) is null
            || SecretToken.TryDecodePart(parts[2], SecretBytes) is null)
        {
            throw new UnauthenticatedException("The API key is malformed (expected urbk1.<id>.<secret>).");
        }
        return new ApiKey(parts[1], parts[2]);
    }
}
