namespace Urb.Storage.Keys;

/// <summary>A tenant's plaintext keys, held in memory only.</summary>
public sealed record TenantKeys(Guid TenantId, byte[] DataKey, byte[] IdKey);
