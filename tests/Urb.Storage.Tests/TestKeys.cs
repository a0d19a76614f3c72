using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Urb.Domain.Content;
using Urb.Storage.Keys;
using Urb.Storage.Options;
using Urb.Storage.Packs;

namespace Urb.Storage.Tests;

/// <summary>Random tenant keys and chunks sealed under them, as the service would make them.</summary>
internal static class TestKeys
{
    public static TenantKeys NewTenant() =>
        new(Guid.NewGuid(), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(ChunkId.KeySize));

    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    /// <summary>Text-like bytes that zstd shrinks a lot.</summary>
    public static byte[] CompressibleBytes(int length)
    {
        var bytes = new byte[length];
        var line = "urb backs up files in content-defined chunks; "u8;
        for (var i = 0; i < length; i++) bytes[i] = line[i % line.Length];
        return bytes;
    }

    public static SealedChunk Seal(ChunkCodec codec, TenantKeys keys, byte[] data) =>
        codec.Seal(keys, ChunkId.Compute(keys.IdKey, data), data, dataIsCompressed: false);

    /// <summary>
    /// A key ring that already holds <paramref name="tenants"/>' keys, so code that needs one
    /// (pack recovery) runs without PostgreSQL. The ring has no public way to take keys, so they
    /// are put into its cache; any other tenant fails (the scope factory has no database).
    /// </summary>
    public static TenantKeyRing KeyRingWith(params TenantKeys[] tenants)
    {
        var master = new MasterKey(Microsoft.Extensions.Options.Options.Create(new StorageOptions { MasterKey = Convert.ToBase64String(RandomBytes(MasterKey.Size)) }));
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        var ring = new TenantKeyRing(scopes, master, TimeProvider.System);
        foreach (var keys in tenants) ring.Add(keys);
        return ring;
    }

    public static IOptions<StorageOptions> Options(long packTargetBytes) =>
        Microsoft.Extensions.Options.Options.Create(new StorageOptions { PackTargetBytes = packTargetBytes });
}
