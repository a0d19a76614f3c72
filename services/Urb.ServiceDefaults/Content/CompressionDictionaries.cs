using Google.Protobuf;
using Microsoft.Extensions.Caching.Memory;
using Urb.Contracts.Index.V1;
using Urb.Domain.Content;

namespace Urb.ServiceDefaults.Content;

/// <summary>
/// Tenants' compression dictionaries (docs/architecture.md, "Compression dictionaries"), found
/// through Urb.DedupIndex and read as stored objects by the caller's own means (Urb.Storage reads
/// its packs, Urb.Ingest asks storage). A dictionary never changes, so a loaded one is kept, up to
/// <see cref="CacheBytes"/> of contents in all: a busy service needs the few of the clients it
/// serves now, not every client's.
/// </summary>
public sealed class CompressionDictionaries(DedupIndex.DedupIndexClient index) : IDisposable
{
    /// <summary>Contents kept loaded, in bytes (each dictionary also holds libzstd's prepared tables, about as large).</summary>
    public const long CacheBytes = 64L << 20;

    private readonly MemoryCache loaded = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

    /// <summary>Reads a stored object's plaintext (the dictionary's content) by its ID.</summary>
    public delegate Task<byte[]> ObjectReader(byte[] objectId, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's dictionary with this ID; null when the tenant has none by it. A stored one that
    /// is not a dictionary, or not this one, is <see cref="InvalidDataException"/>.
    /// </summary>
    public async Task<ZstdDict?> GetAsync(Guid tenant, uint id, ObjectReader read, CancellationToken cancellationToken)
    {
        if (loaded.TryGetValue((tenant, id), out ZstdDict? hit)) return hit;
        var found = await index.FindDictionariesAsync(
            new FindDictionariesRequest { TenantId = tenant.ToString(), DictionaryId = id }, cancellationToken: cancellationToken);
        return found.Dictionaries.Count == 0 ? null : await GetOrLoadAsync(tenant, found.Dictionaries[0], read, cancellationToken);
    }

    /// <summary>The client's dictionaries, newest first.</summary>
    public async Task<List<ZstdDict>> ForClientAsync(Guid tenant, Guid client, ObjectReader read, CancellationToken cancellationToken)
    {
        var found = await index.FindDictionariesAsync(
            new FindDictionariesRequest { TenantId = tenant.ToString(), ClientId = client.ToString() }, cancellationToken: cancellationToken);
        var dictionaries = new List<ZstdDict>(found.Dictionaries.Count);
        foreach (var info in found.Dictionaries) dictionaries.Add(await GetOrLoadAsync(tenant, info, read, cancellationToken));
        return dictionaries;
    }

    /// <summary>
    /// A dictionary as stored: the ID of the client that trained it (16 bytes), then its content.
    /// The pack record says it is a dictionary; with the client in it, the packs alone are enough
    /// to register it again (<c>rebuild-index</c>).
    /// </summary>
    public static byte[] Pack(Guid client, ZstdDict dictionary)
    {
        var stored = new byte[16 + dictionary.Content.Length];
        client.TryWriteBytes(stored);
        dictionary.Content.Span.CopyTo(stored.AsSpan(16));
        return stored;
    }

    /// <summary>A stored dictionary and its client; <see cref="InvalidDataException"/> when it is not one.</summary>
    public static (Guid Client, ZstdDict Dictionary) Unpack(ReadOnlySpan<byte> stored)
    {
        if (stored.Length < 16 + 8) throw new InvalidDataException("too short for a stored dictionary");
        return (new Guid(stored[..16]), ZstdDict.Load(stored[16..]));
    }

    /// <summary>The message form of a dictionary, as an agent gets its own.</summary>
    public static Contracts.Agent.V1.CompressionDictionary ToMessage(ZstdDict dictionary) =>
        new() { Id = dictionary.Id, Content = UnsafeByteOperations.UnsafeWrap(dictionary.Content) };

    public void Dispose() => loaded.Dispose();

    /// <summary>The dictionary the index named, loaded (and checked against what the index says: its ID and client) unless it is already.</summary>
    private async Task<ZstdDict> GetOrLoadAsync(Guid tenant, DictionaryInfo info, ObjectReader read, CancellationToken cancellationToken)
    {
        if (loaded.TryGetValue((tenant, info.DictionaryId), out ZstdDict? hit)) return hit!;
        var stored = await read(info.ChunkId.ToByteArray(), cancellationToken);
        var (client, dictionary) = Unpack(stored);
        if (dictionary.Id != info.DictionaryId || client.ToString() != info.ClientId)
        {
            throw new InvalidDataException(
                $"the object registered as dictionary {info.DictionaryId} of client {info.ClientId} holds dictionary {dictionary.Id} of client {client}");
        }
        loaded.Set((tenant, info.DictionaryId), dictionary, new MemoryCacheEntryOptions { Size = stored.Length });
        return dictionary;
    }
}
