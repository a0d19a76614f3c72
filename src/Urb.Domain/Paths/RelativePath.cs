using Urb.Domain.Errors;

namespace Urb.Domain.Paths;

/// <summary>
/// A path inside a backup, relative to its root, as names joined by '/': "docs/report.pdf".
/// Never absolute, never with an empty, "." or ".." component, so it cannot point outside the
/// root it is joined to.
/// </summary>
public static class RelativePath
{
    public const int MaxComponents = 4096;

    /// <summary>The names of a relative path; <see cref="InvalidInputException"/> naming <paramref name="field"/> otherwise.</summary>
    public static string[] Split(string? path, string field)
    {
        if (string.IsNullOrEmpty(path)) throw new InvalidInputException(field, "A path is empty.");
        if (path[0] == '/' || (path.Length >= 2 && path[1] == ':') || path[0] == '\\')
        {
            throw new InvalidInputException(field, $"'{Printable(path)}' is absolute; paths in a backup are relative to their root.");
        }
        var names = path.Split('/');
        if (names.Length > MaxComponents) throw new InvalidInputException(field, $"A path has at most {MaxComponents} components.");
        foreach (var name in names)
        {
            if (!EntryName.IsValid(name, out var reason))
            {
                throw new InvalidInputException(field, $"'{Printable(path)}' is not a safe relative path: {reason}.");
            }
        }
        return names;
    }

    /// <summary>
    /// Where a relative path lands under <paramref name="root"/> on this machine, checked to stay
    /// inside it. (The caller must still not follow symlinks it restored itself while writing.)
    /// </summary>
    public static string Under(string root, string path, string field)
    {
        var full = Path.GetFullPath(Path.Combine([Path.GetFullPath(root), .. Split(path, field)]));
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal)
            ? full
            : throw new InvalidInputException(field, $"'{Printable(path)}' would land outside {root}.");
    }

    /// <summary>The path with control characters made visible, for error messages.</summary>
    private static string Printable(string path)
    {
        var shown = string.Concat(path.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
        return shown.Length <= 200 ? shown : shown[..200] + "…";
    }
}
