using System.Security.Cryptography;
using Urb.Domain.Errors;

namespace Urb.Domain.Content;

/// <summary>
/// The identity of a piece of content within one tenant: a keyed BLAKE3-256 with the tenant's
/// ID key, so the same bytes have unrelated IDs in different tenants and an ID says nothing to
/// anyone without the key. Computed as keyed-BLAKE3(key, BLAKE3(data)): the one-shot unkeyed
/// hash is the fast SIMD path of the library (about twice its incremental keyed path), and the
/// keyed hash of the 32-byte digest keeps the ID a keyed function of the content.
/// Chunk IDs, whole-file hashes and directory object IDs all use this.
/// </summary>
public static class ChunkId
{
    public const int Size = 32;
    public const int KeySize = 32;

    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var id = new byte[Size];
        Compute(key, data, id);
        return id;
    }

    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (key.Length != KeySize) throw new ArgumentException("A chunk ID key is 32 bytes.", nameof(key));
        Span<byte> inner = stackalloc byte[Size];
        Blake3.Hasher.Hash(data, inner);
        using var keyed = Blake3.Hasher.NewKeyed(key);
        keyed.Update(inner);
        keyed.Finalize(destination[..Size]);
    }

    /// <summary>True when <paramref name="data"/> is the content that <paramref name="id"/> names (constant time).</summary>
    public static bool Matches(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> id)
    {
        Span<byte> actual = stackalloc byte[Size];
        Compute(key, data, actual);
        return CryptographicOperations.FixedTimeEquals(actual, id);
    }

    public static string ToHex(ReadOnlySpan<byte> id) => Convert.ToHexStringLower(id);

    /// <summary>Checks a packed list of IDs (N × 32 bytes) and returns N.</summary>
    public static int CountPacked(ReadOnlySpan<byte> packed, string field, int max)
    {
        if (packed.Length % Size != 0)
        {
            throw new InvalidInputException(field, $"A list of chunk IDs is a multiple of {Size} bytes; got {packed.Length}.");
        }
        var count = packed.Length / Size;
        if (count > max)
        {
            throw new InvalidInputException(field, $"At most {max} IDs per call; got {count}.");
        }
        return count;
    }

    /// <summary>IDs concatenated (the form lists of IDs travel in).</summary>
    public static byte[] Pack(IReadOnlyList<byte[]> ids)
    {
        var packed = new byte[ids.Count * Size];
        for (var i = 0; i < ids.Count; i++) ids[i].CopyTo(packed, i * Size);
        return packed;
    }

    /// <summary>A packed list (N × 32 bytes) as separate IDs; a trailing partial ID is ignored (check with <see cref="CountPacked"/> first).</summary>
    public static List<byte[]> Unpack(ReadOnlyMemory<byte> packed)
    {
        var ids = new List<byte[]>(packed.Length / Size);
        for (var offset = 0; offset + Size <= packed.Length; offset += Size)
        {
            ids.Add(packed.Slice(offset, Size).ToArray());
        }
        return ids;
    }
}
