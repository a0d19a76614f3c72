using Urb.Domain.Paths;

namespace Urb.Agent.Backup;

/// <summary>
/// How backed-up paths are named at the top of a snapshot: by their last component, as
/// UrBackup names them ("/home/anna" is "anna"); "/" is "root"; a name taken by an earlier path
/// gets "-2", "-3", ... Restoring "anna" writes that path's contents.
/// </summary>
public static class RootNaming
{
    public static IReadOnlyList<string> NamesFor(IReadOnlyList<string> paths)
    {
        var names = new List<string>(paths.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            var name = Path.GetFileName(trimmed);
            if (!EntryName.IsValid(name, out _)) name = "root";
            var unique = name;
            for (var n = 2; !taken.Add(unique); n++) unique = $"{name}-{n}";
            names.Add(unique);
        }
        return names;
    }
}
