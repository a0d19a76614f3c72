using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using Urb.Domain.Releases;

namespace Urb.Agent.Updates;

/// <summary>
/// Installs a verified release: unpacks the archive into a hidden folder under versions/, renames
/// it to versions/VERSION once complete, then points <c>current</c> at it with one rename(2) of a
/// new symlink over the old. A crash at any point leaves <c>current</c> naming a complete version,
/// the old or the new one. Versions other than the new one and the one it replaced are removed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ReleaseInstaller(InstallLayout layout)
{
    /// <summary>What an agent release holds at its top level: the native executable, or the build for the .NET runtime.</summary>
    public static readonly string[] EntryPoints = [ReleaseFiles.NativeExecutable, ReleaseFiles.RuntimeAssembly];

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Installs <paramref name="archive"/> (a verified .tar.gz) as <paramref name="version"/> and switches to it; returns its folder.</summary>
    public string Install(string archive, string version)
    {
        var previous = layout.CurrentVersionName();
        var target = layout.VersionDirectory(version);
        if (!Directory.Exists(target))
        {
            // versions/VERSION appears only complete: an earlier attempt that got this far verified it too.
            var partial = Path.Combine(layout.Versions, $".{version}.partial-{Guid.NewGuid():N}");
            try
            {
                Unpack(archive, partial);
                Directory.Move(partial, target);
                InstallSyscalls.SyncDirectory(layout.Versions);
            }
            finally
            {
                if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            }
        }
        SwitchCurrent(version);
        RemoveOtherVersions(keep: [version, previous]);
        return target;
    }

    private void SwitchCurrent(string version)
    {
        var link = Path.Combine(layout.Root, $".{InstallLayout.CurrentName}.new-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(link, Path.Combine(InstallLayout.VersionsName, version));
        try
        {
            InstallSyscalls.Rename(link, layout.Current);
        }
        catch
        {
            File.Delete(link);
            throw;
        }
        InstallSyscalls.SyncDirectory(layout.Root);
    }

    private void RemoveOtherVersions(IReadOnlyCollection<string?> keep)
    {
        foreach (var directory in Directory.EnumerateDirectories(layout.Versions))
        {
            if (keep.Contains(Path.GetFileName(directory))) continue;
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only disk space is lost; the next update tries again.
            }
        }
    }

    /// <summary>
    /// Unpacks regular files and directories only. Links, devices, absolute names and '..' are
    /// refused: the archive is signed, but a signer's mistake must not write outside the folder.
    /// Modes are reduced to 0755 or 0644 (no set-user-ID, nothing writable by others).
    /// </summary>
    public static void Unpack(string archive, string destination)
    {
        try
        {
            UnpackEntries(archive, destination);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new ReleaseRefusedException($"the archive is not a .tar.gz file: {e.Message}");
        }
        if (!EntryPoints.Any(entryPoint => File.Exists(Path.Combine(destination, entryPoint))))
        {
            throw new ReleaseRefusedException($"the archive is not an agent release: it has neither {string.Join(" nor ", EntryPoints)} at its top level.");
        }
    }

    private static void UnpackEntries(string archive, string destination)
    {
        Directory.CreateDirectory(destination);
        using (var file = File.OpenRead(archive))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                switch (entry.EntryType)
                {
                    case TarEntryType.GlobalExtendedAttributes:
                        continue;
                    case TarEntryType.Directory:
                        if (SafeName(entry.Name) is { } directory) Directory.CreateDirectory(Path.Combine(destination, directory), Executable);
                        continue;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        var name = SafeName(entry.Name) ?? throw new ReleaseRefusedException($"the archive has a file without a name ('{entry.Name}').");
                        WriteFile(entry, Path.Combine(destination, name));
                        continue;
                    default:
                        throw new ReleaseRefusedException($"the archive holds '{entry.Name}', a {entry.EntryType}; a release holds only files and directories.");
                }
            }
        }
    }

    private static void WriteFile(TarEntry entry, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!, Executable);
        var mode = (entry.Mode & UnixFileMode.UserExecute) != 0 ? Executable : Readable;
        using var output = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
        entry.DataStream?.CopyTo(output);
        output.Flush(flushToDisk: true);
    }

    /// <summary>The entry's name relative to the release's top, or null for the top itself; refuses names that leave it.</summary>
    private static string? SafeName(string name)
    {
        var relative = name;
        while (relative.StartsWith("./", StringComparison.Ordinal)) relative = relative[2..];
        relative = relative.TrimEnd('/');
        if (relative is "" or ".") return null;
        if (relative.StartsWith('/') || relative.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ReleaseRefusedException($"the archive holds '{name}', a name outside the release's folder.");
        }
        return relative;
    }
}
