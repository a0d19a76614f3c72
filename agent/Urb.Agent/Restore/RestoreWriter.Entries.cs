using Urb.Agent.Restore.Linux;
using Urb.Agent.Walk;
using Urb.Agent.Walk.Linux;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Errors;

namespace Urb.Agent.Restore;

public sealed partial class RestoreWriter
{
    /// <summary>Creates one entry in its parent; true when its content is to follow.</summary>
    private bool Restore(Placement placement, Node node)
    {
        if (placement.Parent.IsSkipped)
        {
            // Under a directory that could not be restored: skipped with it (its warning covers
            // them), keeping a level so that whatever is under a skipped directory is found skipped.
            if (node.Type is not (NodeType.File or NodeType.Symlink)) _path.Add(RestoredDirectory.Skipped(placement.Path));
            return false;
        }
        switch (node.Type)
        {
            case NodeType.Directory:
                RestoreDirectory(placement, node);
                return false;
            case NodeType.File:
                return BeginFile(placement, node);
            case NodeType.Symlink:
                RestoreSymlink(placement, node);
                return false;
            default:
                Warn(placement.Path, $"unknown entry type {node.Type}: skipped, with anything under it");
                _path.Add(RestoredDirectory.Skipped(placement.Path));
                return false;
        }
    }

    private void RestoreDirectory(Placement placement, Node node)
    {
        if (placement.Name is null)
        {
            _path[0].Node = node;
            _directories++;
            return;
        }
        var descriptor = TargetEntries.CreateDirectory(placement.Parent.Descriptor, TargetEntries.Terminated(placement.Name), out var errno);
        if (descriptor < 0)
        {
            Warn(placement.Path, $"cannot create the directory: {Errno.Describe(errno)}; nothing under it is restored");
            _path.Add(RestoredDirectory.Skipped(placement.Path));
            return;
        }
        _path.Add(RestoredDirectory.Opened(placement.Path, descriptor, node));
        _directories++;
    }

    private bool BeginFile(Placement placement, Node node)
    {
        if (node.Size < 0) throw new InvalidInputException("node.size", $"'{placement.Path}': a file of negative size ({node.Size}).");
        var name = TargetEntries.Terminated(placement.Name!);
        if (_hardLinks.Find(node) is { } source && TryHardLink(placement, name, source))
        {
            _hardLinkCount++;
            return false;
        }
        var descriptor = TargetEntries.CreateFile(placement.Parent.Descriptor, name, out var errno);
        if (descriptor < 0)
        {
            Warn(placement.Path, $"cannot create the file: {Errno.Describe(errno)}");
            return false;
        }
        _file = new RestoringFile(placement.Path, descriptor, node);
        return true;
    }

    private bool TryHardLink(Placement placement, byte[] name, HardLinkSource source)
    {
        if (LinkTo(source, placement.Parent.Descriptor, name) is not { } problem) return true;
        Warn(placement.Path, $"cannot be linked to '{source.Path}' ({problem}); written as a file of its own");
        return false;
    }

    /// <summary>
    /// Gives the earlier file a new name; null when done, else why not. The earlier file's directory
    /// is taken from the current path or reopened from the target, never through a symlink, and the
    /// new name is checked to lead to the very file written then.
    /// </summary>
    private string? LinkTo(HardLinkSource source, int parent, byte[] name)
    {
        var separator = source.Path.LastIndexOf('/');
        var sourceDirectory = separator < 0 ? "" : source.Path[..separator];
        var sourceName = TargetEntries.Terminated(source.Path[(separator + 1)..]);
        var onPath = _path.FindLast(directory => directory.Path == sourceDirectory && !directory.IsSkipped);
        var errno = 0;
        var directory = onPath?.Descriptor ?? TargetEntries.OpenRestoredDirectory(_target, sourceDirectory.Split('/'), out errno);
        if (directory < 0) return Errno.Describe(errno);
        errno = TargetEntries.CreateHardLink(directory, sourceName, parent, name);
        if (onPath is null) LinuxSyscalls.Close(directory);
        if (errno != 0) return Errno.Describe(errno);
        if (LeadsTo(parent, name, source.Restored)) return null;
        _ = TargetEntries.Remove(parent, name);
        return "its name no longer leads to the file written then";
    }

    private void RestoreSymlink(Placement placement, Node node)
    {
        if (node.LinkTarget.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidInputException("node.link_target", $"'{placement.Path}': a symlink target holds a NUL character.");
        }
        var name = TargetEntries.Terminated(placement.Name!);
        var errno = TargetEntries.CreateSymlink(placement.Parent.Descriptor, name, TargetEntries.Terminated(node.LinkTarget));
        if (errno != 0)
        {
            Warn(placement.Path, $"cannot create the symlink: {Errno.Describe(errno)}");
            return;
        }
        _symlinks++;
        if (NodeMetadata.ApplyToSymlink(placement.Parent.Descriptor, name, node, _restoreOwners) is { } problem) Warn(placement.Path, problem);
    }

    private static bool LeadsTo(int directory, byte[] name, FileIdentity expected) =>
        LinuxSyscalls.Statx(directory, name, LinuxSyscalls.AtSymlinkNoFollow, LinuxSyscalls.StatxBasicStats, out var stat) == 0
        && stat.ToMetadata().Identity == expected;
}
