using System.Security.Cryptography;

namespace Urb.Storage.Packs;

/// <summary>A pack file: its tenant and its id (24 lowercase hex characters, random).</summary>
public readonly record struct PackName(Guid Tenant, string Id)
{
    public const int IdLength = 24;

    public static PackName New(Guid tenant) => new(tenant, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2)));

    public static bool IsValidId(string? id) =>
        id is { Length: IdLength } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public override string ToString() => $"{Tenant}/{Id}";
}
