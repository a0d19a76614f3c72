namespace Urb.Api.Data;

/// <summary>One value one settings layer sets: the global layer, a tenant's or a client's.</summary>
public sealed class SettingRecord
{
    public const string GlobalScope = "global";
    public const string TenantScope = "tenant";
    public const string ClientScope = "client";

    /// <summary><see cref="GlobalScope"/>, <see cref="TenantScope"/> or <see cref="ClientScope"/>.</summary>
    public required string Scope { get; set; }
    /// <summary>The tenant or client; <see cref="Guid.Empty"/> for the global layer.</summary>
    public Guid ScopeId { get; set; }
    public required string Key { get; set; }
    public string Text { get; set; } = "";
    public string[] Items { get; set; } = [];
    public bool Merge { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
