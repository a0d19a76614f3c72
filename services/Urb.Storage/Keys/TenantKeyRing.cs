using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Urb.Storage.Data;

namespace Urb.Storage.Keys;

/// <summary>
/// Each tenant's data key and chunk-ID key: made on first use, stored wrapped by the master key,
/// unwrapped once per process. Two replicas making a tenant's keys at once agree on the first
/// row written (insert-if-absent, then read).
/// </summary>
public sealed class TenantKeyRing(IServiceScopeFactory scopes, MasterKey master, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Task<TenantKeys>> keys = new();

    public Task<TenantKeys> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var task = keys.GetOrAdd(tenantId, id => LoadOrCreateAsync(id, CancellationToken.None));
        if (task.IsFaulted) keys.TryRemove(new(tenantId, task));
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Puts a tenant's keys in the ring without the database (for tests of recovery and packs).</summary>
    internal void Add(TenantKeys tenantKeys) => keys[tenantKeys.TenantId] = Task.FromResult(tenantKeys);

    private async Task<TenantKeys> LoadOrCreateAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var record = await db.TenantKeys.AsNoTracking().SingleOrDefaultAsync(k => k.TenantId == tenantId, cancellationToken);
        if (record is null)
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO storage.tenant_keys (tenant_id, wrapped_data_key, wrapped_id_key, created_at)
                VALUES ({tenantId}, {master.Wrap(RandomNumberGenerator.GetBytes(32), Purpose(tenantId, "data"))},
                        {master.Wrap(RandomNumberGenerator.GetBytes(32), Purpose(tenantId, "id"))}, {time.GetUtcNow()})
                ON CONFLICT (tenant_id) DO NOTHING
                """, cancellationToken);
            record = await db.TenantKeys.AsNoTracking().SingleAsync(k => k.TenantId == tenantId, cancellationToken);
        }
        return new TenantKeys(tenantId,
            master.Unwrap(record.WrappedDataKey, Purpose(tenantId, "data")),
            master.Unwrap(record.WrappedIdKey, Purpose(tenantId, "id")));
    }

    private static string Purpose(Guid tenantId, string kind) => $"urb-tenant-key/{kind}/{tenantId}";
}
