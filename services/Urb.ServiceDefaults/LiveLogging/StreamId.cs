using System.Globalization;
using Urb.Domain.Errors;

namespace Urb.ServiceDefaults.LiveLogging;

/// <summary>A Redis stream id, <c>milliseconds-sequence</c>: a resume point a caller hands back (after_id, Last-Event-ID).</summary>
public readonly record struct StreamId(ulong Milliseconds, ulong Sequence)
{
    /// <summary>Before every entry: the cursor of an empty stream.</summary>
    public static readonly StreamId Zero = new(0, 0);

    public static StreamId Parse(string text, string field)
    {
        var dash = text.IndexOf('-');
        return dash > 0
            && ulong.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && ulong.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            // Nothing can follow the largest id: Redis refuses a range that starts after it.
            && (ms, seq) != (ulong.MaxValue, ulong.MaxValue)
            ? new StreamId(ms, seq)
            : throw new InvalidInputException(field, $"{field} '{(text.Length > 40 ? text[..40] + "…" : text)}' is not an event id (such as 1764212345678-0).");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
}
