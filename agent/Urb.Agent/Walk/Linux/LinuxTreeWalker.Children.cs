using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Urb.Agent.Walk.Patterns;

namespace Urb.Agent.Walk.Linux;

/// <summary>What the walk found at one name: the entry to report (null: nothing to report), and,
/// for a directory to descend, the filter state inside it.</summary>
internal readonly record struct ChildOutcome(WalkEntry? Entry, FilterState? Descend = null, bool ViaSymlink = false);

internal sealed partial class LinuxTreeWalker
{
    // Linux caps a symlink's target at PATH_MAX (4096 bytes with the NUL); one more byte tells a
    // full buffer from a truncated read.
    private readonly byte[] _linkBuffer = new byte[4097];

    /// <summary>
    /// Classifies one listed name. Excludes are applied before anything is stat'ed; the entry is
    /// stat'ed without following links, and a symlink is followed (stat'ed again, through the link)
    /// only when the root says so.
    /// </summary>
    private ChildOutcome InspectChild(PreparedRoot root, ulong rootDevice, DirectoryFrame parent, byte[] nameBytes)
    {
        var rawName = nameBytes.AsSpan(0, nameBytes.Length - 1);
        if (!Utf8.IsValid(rawName))
        {
            Warn(root, parent.ChildPath(Encoding.UTF8.GetString(rawName)), WalkWarningKind.UnsupportedName,
                "the name is not valid UTF-8 and cannot be carried as text; it is left out");
            return default;
        }
        var name = Encoding.UTF8.GetString(rawName);
        if (root.Filter.IsExcluded(parent.Filter, name)) return default;
        var path = parent.ChildPath(name);
        if (!TryStat(parent.Descriptor, nameBytes, LinuxSyscalls.AtSymlinkNoFollow, out var own, out var errno))
        {
            WarnCannotStat(root, path, errno);
            return default;
        }
        var context = new Found(root, rootDevice, parent, name, path);
        if (!FileTypes.IsSymlink(own.Mode)) return Classify(context, own, link: null);

        var follow = root.Options.FollowSymlinks;
        if (!follow && !root.Filter.IncludesFile(parent.Filter, name)) return default;
        if (ReadLink(root, parent.Descriptor, nameBytes, path) is not { } target) return default;
        var link = Entry(context, WalkEntryKind.Symlink, own) with { SymlinkTarget = target };
        if (!follow) return new(link);
        if (!TryStat(parent.Descriptor, nameBytes, 0, out var followed, out errno))
        {
            // Dangling, a loop of links (ELOOP), or no permission on the way: keep the link itself.
            return root.Filter.IncludesFile(parent.Filter, name) ? new(link with { Note = $"not followed: {Errno.Describe(errno)}" }) : default;
        }
        return Classify(context, followed, link);
    }

    /// <summary>Decides about an entry from its metadata; <paramref name="link"/> is set when the
    /// metadata was reached through a followed symlink.</summary>
    private ChildOutcome Classify(Found found, FileMetadata metadata, WalkEntry? link)
    {
        var (root, rootDevice, parent, name, path) = found;
        var otherFilesystem = metadata.Device != rootDevice && !root.Options.CrossFilesystems;
        if (FileTypes.IsDirectory(metadata.Mode))
        {
            if (root.Filter.EnterDirectory(parent.Filter, name) is not { } inside) return default;
            if (otherFilesystem)
            {
                var where = link is null ? "mount point of another filesystem" : "a directory on another filesystem";
                return Skip(found, metadata, link, $"{where} (device {metadata.Device}, the root's is {rootDevice}); not crossed");
            }
            if (_walkedDirectories.TryGetValue(metadata.Identity, out var earlier))
            {
                if (!_onPath.Contains(metadata.Identity)) return Skip(found, metadata, link, $"the same directory as {earlier}, already walked");
                var note = $"leads back to {earlier}, a directory on the current path; not descended again";
                Warn(root, path, WalkWarningKind.Cycle, note);
                return Skip(found, metadata, link, note);
            }
            return new(Entry(found, WalkEntryKind.Directory, metadata), inside, ViaSymlink: link is not null);
        }
        if (!root.Filter.IncludesFile(parent.Filter, name)) return default;
        if (otherFilesystem) return Skip(found, metadata, link, $"on another filesystem (device {metadata.Device}, the root's is {rootDevice}); not crossed");
        if (!FileTypes.IsRegular(metadata.Mode)) return Skip(found, metadata, link, FileTypes.SkipReason(metadata.Mode));
        return new(HardLinkOrFile(Entry(found, WalkEntryKind.File, metadata)));
    }

    /// <summary>The first path of a multiply-linked file is its File entry; later paths within this
    /// walk point back to it, so the caller stores the content once.</summary>
    private WalkEntry HardLinkOrFile(WalkEntry file)
    {
        if (file.Metadata.LinkCount <= 1) return file;
        if (_firstHardLinks.TryGetValue(file.Metadata.Identity, out var first)) return file with { Kind = WalkEntryKind.HardLink, HardLinkOf = first };
        _firstHardLinks.Add(file.Metadata.Identity, file);
        return file;
    }

    /// <summary>Something not backed up as what it is: reached through a link, the link itself is
    /// kept (with the reason it was not followed); otherwise the entry is reported as skipped.</summary>
    private static ChildOutcome Skip(Found found, FileMetadata metadata, WalkEntry? link, string note) =>
        link is not null
            ? new(link with { Note = $"not followed: {note}" })
            : new(Entry(found, WalkEntryKind.Skipped, metadata) with { Note = note });

    private static WalkEntry Entry(Found found, WalkEntryKind kind, FileMetadata metadata) =>
        new(found.Root.Index, found.Path, found.Root.Absolute(found.Path), kind, metadata);

    private string? ReadLink(PreparedRoot root, int directory, byte[] name, string path)
    {
        var length = LinuxSyscalls.ReadLinkAt(directory, name, _linkBuffer, (nuint)_linkBuffer.Length);
        if (length < 0)
        {
            WarnCannotStat(root, path, Marshal.GetLastPInvokeError());
            return null;
        }
        var target = _linkBuffer.AsSpan(0, (int)length);
        if (length == _linkBuffer.Length || !Utf8.IsValid(target))
        {
            Warn(root, path, WalkWarningKind.UnsupportedName, "the link's target is not valid UTF-8 (or too long) and cannot be carried as text; it is left out");
            return null;
        }
        return Encoding.UTF8.GetString(target);
    }

    private void WarnCannotStat(PreparedRoot root, string path, int errno)
    {
        if (errno == Errno.NoEntry) Warn(root, path, WalkWarningKind.Vanished, "vanished after its directory was listed");
        else Warn(root, path, WalkWarningKind.Unreadable, $"cannot read its metadata: {Errno.Describe(errno)}");
    }

    /// <summary>Where an entry was found, passed together to keep the signatures short.</summary>
    private readonly record struct Found(PreparedRoot Root, ulong RootDevice, DirectoryFrame Parent, string Name, string Path);
}
