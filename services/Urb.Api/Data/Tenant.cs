namespace Urb.Api.Data;

/// <summary>A customer of a hosting provider, or the one default tenant of a single company.</summary>
public sealed class Tenant
{
    /// <summary>The tenant that exists in every installation; clients go there unless told otherwise.</summary>
    public static readonly Guid DefaultId = new("00000000-0000-0000-0000-000000000001");

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
