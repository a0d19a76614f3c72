namespace Urb.Domain.Content;

/// <summary>
/// Compares IDs by content. The hash is seeded per process (<see cref="HashCode"/>), so IDs
/// chosen by a client to collide cannot turn a lookup into quadratic work. The order is the
/// bytewise one, used to write rows in the same order in every call.
/// </summary>
public sealed class ChunkIdComparer : IEqualityComparer<byte[]>, IComparer<byte[]>
{
    public static readonly ChunkIdComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
