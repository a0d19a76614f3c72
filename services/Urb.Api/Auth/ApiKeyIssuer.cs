using Urb.Api.Data;
using Urb.Domain.Identity;

namespace Urb.Api.Auth;

/// <summary>Makes API keys: a new secret, of which only the hash is stored. The caller saves the context and shows the key once.</summary>
public sealed class ApiKeyIssuer(ApiDbContext db, TimeProvider time)
{
    public (ApiKey Key, ApiKeyRecord Record) Issue(string name, ApiRole role, Guid? tenantId)
    {
        var key = ApiKey.Create();
        var record = new ApiKeyRecord
        {
            Id = key.Id,
            Name = DisplayName.Validate(name, "name", "A key name"),
            SecretHash = SecretToken.Hash(key.Secret),
            Role = role,
            TenantId = tenantId,
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiKeys.Add(record);
        return (key, record);
    }
}
