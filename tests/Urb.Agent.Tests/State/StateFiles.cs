using System.Security.Cryptography;
using Urb.Agent.State;

namespace Urb.Agent.Tests.State;

/// <summary>Known files for the tests: distinct stamps and chunk IDs derived from a seed.</summary>
internal static class StateFiles
{
    public static readonly byte[] KeyA = [1, 2, 3, 4, 5, 6, 7, 8];
    public static readonly byte[] KeyB = [8, 7, 6, 5, 4, 3, 2, 1];

    /// <summary>A file of <paramref name="chunks"/> chunks; large device and inode numbers check that all 64 bits survive.</summary>
    public static KnownFile File(int seed, int chunks = 2)
    {
        var stamp = new FileStamp(Size: 1000L * seed, ModifiedNs: 1_700_000_000_123_456_789 + seed, ChangedNs: 1_700_000_001_987_654_321 + seed,
            Device: ulong.MaxValue - (ulong)seed, Inode: 0x8000_0000_0000_0000UL + (ulong)seed);
        var id = SHA256.HashData(BitConverter.GetBytes(seed));
        var chunkIds = new byte[chunks * id.Length];
        for (var i = 0; i < chunks; i++) id.CopyTo(chunkIds, i * id.Length);
        return new KnownFile(stamp, chunkIds);
    }

    public static void AssertSame(KnownFile expected, KnownFile actual)
    {
        Assert.Equal(expected.Stamp, actual.Stamp);
        Assert.Equal(expected.ChunkIds, actual.ChunkIds);
    }

    public static KeyValuePair<string, KnownFile> Row(string path, KnownFile file) => new(path, file);
}
