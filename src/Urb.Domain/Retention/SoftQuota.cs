using System.Globalization;

namespace Urb.Domain.Retention;

/// <summary>
/// A soft quota in UrBackup's notation: a size (<c>500M</c>, <c>20G</c>, <c>2T</c>; K, M, G and T
/// are powers of 1024, as in UrBackup) or a percentage of the storage's capacity (<c>10%</c>).
/// "Soft": it is enforced by the nightly cleanup, never by refusing a backup. See <see cref="Parse"/>.
/// </summary>
public sealed record SoftQuota
{
    private SoftQuota(long? bytes, decimal? percent)
    {
        Bytes = bytes;
        Percent = percent;
    }

    /// <summary>No quota.</summary>
    public static SoftQuota None { get; } = new(null, null);

    /// <summary>The size, when the quota is one.</summary>
    public long? Bytes { get; }

    /// <summary>The percentage (0–100), when the quota is one.</summary>
    public decimal? Percent { get; }

    public bool IsNone => Bytes is null && Percent is null;

    public static SoftQuota OfBytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return new SoftQuota(bytes, null);
    }

    public static SoftQuota OfPercent(decimal percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100m);
        return new SoftQuota(null, percent);
    }

    /// <summary>
    /// Parses a quota. Grammar (case and spaces around the unit do not matter):
    /// empty or <c>-</c>: no quota; <c>N</c> or <c>NB</c>: whole bytes; <c>N K|M|G|T</c>, optionally
    /// followed by <c>B</c> or <c>iB</c> (<c>20G</c>, <c>20 GB</c>, <c>20GiB</c> are all 20 × 1024³
    /// bytes), where N may have a fraction (<c>1.5T</c>, rounded down to whole bytes); <c>P%</c>
    /// with 0 ≤ P ≤ 100, fractions allowed (<c>2.5%</c>).
    /// </summary>
    /// <param name="text">The quota text.</param>
    /// <param name="field">The request field named in the <see cref="Errors.InvalidInputException"/>.</param>
    /// <exception cref="Errors.InvalidInputException">The text is not a quota.</exception>
    public static SoftQuota Parse(string? text, string field = "quota") => SoftQuotaParser.Parse(text, field);

    /// <summary>
    /// The limit in bytes: the size, or the percentage of <paramref name="capacityBytes"/> rounded to
    /// the nearest byte. Null for no quota, and for a percentage when the capacity is unknown (null).
    /// </summary>
    public long? LimitFor(long? capacityBytes)
    {
        if (Bytes is { } bytes)
        {
            return bytes;
        }
        if (Percent is not { } percent || capacityBytes is not { } capacity)
        {
            return null;
        }
        ArgumentOutOfRangeException.ThrowIfNegative(capacity, nameof(capacityBytes));
        return (long)Math.Round(capacity * percent / 100m, MidpointRounding.AwayFromZero);
    }

    /// <summary>The canonical text: "" for none, <c>10%</c>, or the size in the largest unit that divides it (<c>20G</c>, <c>1536M</c>, <c>1000</c>).</summary>
    public override string ToString()
    {
        if (Percent is { } percent)
        {
            return percent.ToString("0.############################", CultureInfo.InvariantCulture) + "%";
        }
        if (Bytes is not { } bytes)
        {
            return "";
        }
        var units = "KMGT";
        var text = bytes.ToString(CultureInfo.InvariantCulture);
        for (var i = units.Length - 1; i >= 0 && bytes > 0; i--)
        {
            var size = 1L << (10 * (i + 1));
            if (bytes % size == 0)
            {
                text = (bytes / size).ToString(CultureInfo.InvariantCulture) + units[i];
                break;
            }
        }
        return text;
    }
}
