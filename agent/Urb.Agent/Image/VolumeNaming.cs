using Urb.Domain.Paths;

namespace Urb.Agent.Image;

/// <summary>
/// How a volume is named in an image snapshot: its absolute path as given (not where a symlink
/// leads, so /dev/disk/by-id names stay readable), without the leading '/', with '/' turned into
/// '-' and ".img" added unless it ends so already: /dev/sda1 is "dev-sda1.img", /srv/vol.img is
/// "srv-vol.img". A name taken by an earlier volume gets "-2", "-3", ... before ".img".
/// </summary>
public static class VolumeNaming
{
    public const string Extension = ".img";

    public static IReadOnlyList<string> NamesFor(IReadOnlyList<string> paths)
    {
        var names = new List<string>(paths.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var stem = Stem(path);
            var unique = stem + Extension;
            for (var n = 2; !taken.Add(unique); n++) unique = $"{stem}-{n}{Extension}";
            names.Add(unique);
        }
        return names;
    }

    private static string Stem(string path)
    {
        var flat = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)).TrimStart('/').Replace('/', '-');
        if (flat.EndsWith(Extension, StringComparison.Ordinal)) flat = flat[..^Extension.Length];
        // Room for the suffixes; a name this long is rare, and readable enough cut.
        if (flat.Length > 200) flat = flat[..200];
        return EntryName.IsValid(flat + Extension, out _) ? flat : "volume";
    }
}
