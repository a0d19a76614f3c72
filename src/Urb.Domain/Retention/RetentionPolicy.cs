namespace Urb.Domain.Retention;

/// <summary>
/// A client's retention: min/max counts per backup type, and optionally a <see cref="GfsRule"/>
/// that replaces the max counts (the min counts still hold).
/// </summary>
public sealed record RetentionPolicy
{
    private readonly CountLimits[] _limits;

    /// <param name="limits">Per type; a type not given gets UrBackup's default.</param>
    /// <param name="gfs">Null: retention by count.</param>
    public RetentionPolicy(IReadOnlyDictionary<BackupType, CountLimits>? limits = null, GfsRule? gfs = null)
    {
        _limits = BackupTypeExtensions.All
            .Select(t => limits is not null && limits.TryGetValue(t, out var l) ? l : CountLimits.DefaultFor(t))
            .ToArray();
        Gfs = gfs;
    }

    /// <summary>UrBackup's defaults, by count.</summary>
    public static RetentionPolicy Default { get; } = new();

    public GfsRule? Gfs { get; init; }

    public CountLimits LimitsFor(BackupType type) => _limits[(int)type];

    /// <summary>This policy with other limits for one type.</summary>
    public RetentionPolicy With(BackupType type, CountLimits limits)
    {
        var all = BackupTypeExtensions.All.ToDictionary(t => t, LimitsFor);
        all[type] = limits;
        return new RetentionPolicy(all, Gfs);
    }

    public bool Equals(RetentionPolicy? other) =>
        other is not null && _limits.SequenceEqual(other._limits) && Equals(Gfs, other.Gfs);

    public override int GetHashCode() => HashCode.Combine(_limits[0], _limits[1], _limits[2], _limits[3], Gfs);
}
