using Urb.Domain.Errors;

namespace Urb.Domain.Retention;

/// <summary>
/// How many backups of one type to keep, not counting archived ones: above <see cref="Max"/> the
/// oldest go; no cleanup (count, quota) takes a type below <see cref="Min"/>.
/// </summary>
public readonly record struct CountLimits
{
    /// <summary>Checks 0 ≤ min ≤ max; <paramref name="field"/> names the setting in the error.</summary>
    /// <exception cref="InvalidInputException">The limits are negative or min is above max.</exception>
    public CountLimits(int min, int max, string field = "retention")
    {
        if (min < 0 || max < 0)
        {
            throw new InvalidInputException(field, $"Backup counts cannot be negative (min {min}, max {max}).");
        }
        if (min > max)
        {
            throw new InvalidInputException(field, $"The min count ({min}) is above the max count ({max}).");
        }
        Min = min;
        Max = max;
    }

    public int Min { get; }

    public int Max { get; }

    /// <summary>UrBackup's defaults: incremental file 40–100, full file 2–10, incremental image 4–30, full image 2–5.</summary>
    public static CountLimits DefaultFor(BackupType type) => type switch
    {
        BackupType.IncrementalFile => new(40, 100),
        BackupType.FullFile => new(2, 10),
        BackupType.IncrementalImage => new(4, 30),
        BackupType.FullImage => new(2, 5),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown backup type"),
    };
}
