using System.Diagnostics;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>Compares two directory trees the way a restore must reproduce them: entries, bytes, permissions, mtimes, links.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class TreeComparison
{
    /// <summary>Every difference, as lines (empty when the trees are the same).</summary>
    public static List<string> Differences(string expected, string actual)
    {
        var differences = new List<string>();
        var left = Entries(expected);
        var right = Entries(actual);
        foreach (var missing in left.Keys.Except(right.Keys)) differences.Add($"missing: {missing}");
        foreach (var extra in right.Keys.Except(left.Keys)) differences.Add($"extra: {extra}");
        foreach (var path in left.Keys.Intersect(right.Keys))
        {
            var (a, b) = (left[path], right[path]);
            if (a.LinkTarget is not null || b.LinkTarget is not null)
            {
                if (a.LinkTarget != b.LinkTarget) differences.Add($"link target differs: {path} ({a.LinkTarget} vs {b.LinkTarget})");
                continue;
            }
            if (a is DirectoryInfo != b is DirectoryInfo) { differences.Add($"type differs: {path}"); continue; }
            if (File.GetUnixFileMode(a.FullName) != File.GetUnixFileMode(b.FullName)) differences.Add($"mode differs: {path}");
            if (a.LastWriteTimeUtc != b.LastWriteTimeUtc) differences.Add($"mtime differs: {path} ({a.LastWriteTimeUtc:O} vs {b.LastWriteTimeUtc:O})");
            if (a is FileInfo fa && b is FileInfo fb && !SameBytes(fa.FullName, fb.FullName)) differences.Add($"content differs: {path}");
        }
        return differences;
    }

    /// <summary>Makes a second name for a file with ln(1).</summary>
    public static void HardLink(string existing, string link)
    {
        using var ln = Process.Start(new ProcessStartInfo("ln", [existing, link]))!;
        ln.WaitForExit();
        if (ln.ExitCode != 0) throw new IOException($"ln {existing} {link} failed");
    }

    /// <summary>Inode numbers via stat(1): two paths with one inode are hard links.</summary>
    public static string Inode(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return output;
    }

    /// <summary>512-byte blocks allocated, via stat(1): a sparse file has fewer than its size.</summary>
    public static long AllocatedBlocks(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%b", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return long.Parse(output, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, FileSystemInfo> Entries(string root)
    {
        var entries = new Dictionary<string, FileSystemInfo>(StringComparer.Ordinal);
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos())
            {
                entries[Path.GetRelativePath(root, entry.FullName)] = entry;
                if (entry is DirectoryInfo directory && entry.LinkTarget is null) pending.Push(directory);
            }
        }
        return entries;
    }

    private static bool SameBytes(string a, string b)
    {
        using var left = File.OpenRead(a);
        using var right = File.OpenRead(b);
        if (left.Length != right.Length) return false;
        var x = new byte[1 << 16];
        var y = new byte[1 << 16];
        int read;
        while ((read = left.Read(x)) > 0)
        {
            right.ReadExactly(y, 0, read);
            if (!x.AsSpan(0, read).SequenceEqual(y.AsSpan(0, read))) return false;
        }
        return true;
    }

    /// <summary>A copy of a tree with its files' and directories' mtimes, to compare a restore with later.</summary>
    public static void CopyTree(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, copy);
            File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(file));
        }
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories).Reverse())
        {
            Directory.SetLastWriteTimeUtc(Path.Combine(to, Path.GetRelativePath(from, directory)), Directory.GetLastWriteTimeUtc(directory));
        }
        Directory.SetLastWriteTimeUtc(to, Directory.GetLastWriteTimeUtc(from));
    }
}
