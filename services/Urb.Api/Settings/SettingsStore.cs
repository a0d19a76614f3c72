using Microsoft.EntityFrameworkCore;
using Urb.Api.Data;
using Urb.Domain.Errors;
using Urb.Domain.Settings;

namespace Urb.Api.Settings;

/// <summary>A settings layer: the global one (no id), a tenant's or a client's.</summary>
public readonly record struct SettingsLayerId(string Scope, Guid Id)
{
    public static readonly SettingsLayerId Global = new(SettingRecord.GlobalScope, Guid.Empty);

    public static SettingsLayerId Tenant(Guid id) => new(SettingRecord.TenantScope, id);

    public static SettingsLayerId Client(Guid id) => new(SettingRecord.ClientScope, id);

    public bool IsGlobal => Scope == SettingRecord.GlobalScope;
}

/// <summary>The settings layers in the catalog, and a client's effective settings from them.</summary>
public sealed class SettingsStore(ApiDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<string, SettingValue>> LoadLayerAsync(SettingsLayerId layer, CancellationToken cancellationToken)
    {
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Scope == layer.Scope && s.ScopeId == layer.Id)
            .ToListAsync(cancellationToken);
        return ToLayer(rows);
    }

    /// <summary>The client's settings after precedence (one query for the three layers).</summary>
    public async Task<EffectiveSettings> EffectiveAsync(Client client, CancellationToken cancellationToken)
    {
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Scope == SettingRecord.GlobalScope
                || (s.Scope == SettingRecord.TenantScope && s.ScopeId == client.TenantId)
                || (s.Scope == SettingRecord.ClientScope && s.ScopeId == client.Id))
            .ToListAsync(cancellationToken);
        return EffectiveSettings.Resolve(
            ToLayer(rows.Where(r => r.Scope == SettingRecord.GlobalScope)),
            ToLayer(rows.Where(r => r.Scope == SettingRecord.TenantScope)),
            ToLayer(rows.Where(r => r.Scope == SettingRecord.ClientScope)));
    }

    /// <summary>
    /// The installation's settings (defaults with the global layer) and every live client's
    /// effective settings, from one read of the settings table: what the scheduler plans with.
    /// </summary>
    public async Task<(EffectiveSettings Global, IReadOnlyList<(Client Client, EffectiveSettings Settings)> Clients)> EffectiveForAllAsync(
        CancellationToken cancellationToken)
    {
        var rows = await db.Settings.AsNoTracking().ToListAsync(cancellationToken);
        var clients = await db.Clients.AsNoTracking().Include(c => c.Tenant)
            .Where(c => c.DeletedAt == null).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var global = ToLayer(rows.Where(r => r.Scope == SettingRecord.GlobalScope));
        var tenants = rows.Where(r => r.Scope == SettingRecord.TenantScope).GroupBy(r => r.ScopeId).ToDictionary(g => g.Key, ToLayer);
        var perClient = rows.Where(r => r.Scope == SettingRecord.ClientScope).GroupBy(r => r.ScopeId).ToDictionary(g => g.Key, ToLayer);
        var none = new Dictionary<string, SettingValue>();
        var resolved = clients
            .Select(c => (c, EffectiveSettings.Resolve(global, tenants.GetValueOrDefault(c.TenantId, none), perClient.GetValueOrDefault(c.Id, none))))
            .ToList();
        return (EffectiveSettings.Resolve(global, none, none), resolved);
    }

    /// <summary>Sets and clears values of one layer, every value checked first: one invalid value changes nothing.</summary>
    public async Task UpdateAsync(
        SettingsLayerId layer, IEnumerable<(string Key, SettingValue Value)> set, IEnumerable<string> clear, CancellationToken cancellationToken)
    {
        var checkedValues = set.Select(s =>
        {
            var definition = SettingCatalog.Get(s.Key);
            if (definition.GlobalOnly && !layer.IsGlobal)
            {
                throw new InvalidInputException(s.Key, $"Setting '{s.Key}' can only be set for the whole installation (the global layer).");
            }
            return (definition.Key, Value: definition.Normalize(s.Value));
        }).ToList();
        var cleared = clear.Select(k => SettingCatalog.Get(k).Key).ToList();
        if (checkedValues.Select(v => v.Key).Intersect(cleared).FirstOrDefault() is { } both)
        {
            throw new InvalidInputException(both, $"Setting '{both}' is both set and cleared.");
        }
        if (checkedValues.GroupBy(v => v.Key).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidInputException(twice.Key, $"Setting '{twice.Key}' is set twice.");
        }

        var keys = checkedValues.Select(v => v.Key).Concat(cleared).ToList();
        var existing = await db.Settings
            .Where(s => s.Scope == layer.Scope && s.ScopeId == layer.Id && keys.Contains(s.Key))
            .ToDictionaryAsync(s => s.Key, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var (key, value) in checkedValues)
        {
            if (!existing.TryGetValue(key, out var row))
            {
                row = new SettingRecord { Scope = layer.Scope, ScopeId = layer.Id, Key = key };
                db.Settings.Add(row);
            }
            row.Text = value.Text;
            row.Items = [.. value.Items];
            row.Merge = value.Merge;
            row.UpdatedAt = now;
        }
        foreach (var key in cleared)
        {
            if (existing.TryGetValue(key, out var row)) db.Settings.Remove(row);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static Dictionary<string, SettingValue> ToLayer(IEnumerable<SettingRecord> rows) =>
        rows.ToDictionary(r => r.Key, r => new SettingValue(r.Text, r.Items, r.Merge), StringComparer.Ordinal);
}
