using System.Globalization;

namespace Urb.Domain.Releases;

/// <summary>
/// The version of an agent release: <c>MAJOR.MINOR.PATCH</c>, three numbers, compared number by
/// number. Nothing else (no pre-release tags) so that "newer" has one meaning for everyone.
/// </summary>
public readonly record struct ReleaseVersion(int Major, int Minor, int Patch) : IComparable<ReleaseVersion>
{
    public static bool TryParse(string? text, out ReleaseVersion version)
    {
        version = default;
        var parts = text?.Split('.');
        if (parts is not { Length: 3 }) return false;
        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            // Digits only: int.TryParse would take signs, spaces and leading '+'.
            if (parts[i].Length is 0 or > 9 || !parts[i].All(char.IsAsciiDigit)) return false;
            numbers[i] = int.Parse(parts[i], CultureInfo.InvariantCulture);
        }
        version = new ReleaseVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    public static ReleaseVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a release version (MAJOR.MINOR.PATCH, numbers only).");

    /// <summary>
    /// The version a program was built as, from its informational version (<c>0.1.0</c>,
    /// <c>0.1.0+3f2a…</c> or <c>0.1.0-beta</c>: build metadata and tags are ignored).
    /// </summary>
    public static bool TryParseBuild(string? informationalVersion, out ReleaseVersion version) =>
        TryParse(informationalVersion?.Split('+', '-')[0], out version);

    public int CompareTo(ReleaseVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator <(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
