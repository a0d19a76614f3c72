using Microsoft.Extensions.Primitives;

namespace Urb.Api.Rest;

/// <summary>
/// One byte range of a <c>Range</c> header (RFC 9110 §14), resolved against the content's size.
/// More than one range, another unit or a malformed header: null, and the whole content is sent
/// (RFC 9110 lets a server ignore Range).
/// </summary>
public readonly record struct ByteRange(long From, long Length, bool Satisfiable)
{
    public static ByteRange? Parse(StringValues header, long size)
    {
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = value["bytes=".Length..].Trim();
        if (spec.Contains(',')) return null;
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var (first, last) = (spec[..dash].Trim(), spec[(dash + 1)..].Trim());
        if (first.Length == 0)
        {
            // A suffix: the last N bytes.
            if (!long.TryParse(last, out var suffix) || suffix < 0) return null;
            if (suffix == 0 || size == 0) return new ByteRange(0, 0, false);
            var n = Math.Min(suffix, size);
            return new ByteRange(size - n, n, true);
        }
        if (!long.TryParse(first, out var from) || from < 0) return null;
        var to = size - 1;
        if (last.Length > 0 && (!long.TryParse(last, out to) || to < from)) return null;
        if (from >= size) return new ByteRange(0, 0, false);
        to = Math.Min(to, size - 1);
        return new ByteRange(from, to - from + 1, true);
    }
}
