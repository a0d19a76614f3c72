using Urb.Agent.Restore.Linux;
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
        _directories++;
        if (placement.Name is null)
        {
            _path[0].Node = node;
            return;
        }
        var descriptor = TargetEntries.CreateDirectory(placement.Parent.Descriptor, TargetEntries.Terminated(placement.Name), out var errno);
        if (descriptor < 0)
        {
            _directories--;
            Warn(placement.Path, $"cannot create the directory: {Errno.Describe(errno)}; nothing under it is restored");
            _path.Add(RestoredDirectory.Skipped(placement.Path));
            return;
        }
        _path.Add(RestoredDirectory.Opened(placement.Path, descriptor, node));
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

    /// <summary>
    /// Gives the earlier file a new name. The earlier file's directory is reached from the current
    /// path or from the target, never through a symlink, and the new name is checked to lead to the
    /// file written then. When that fails, the file is written again as a file of its own.
    /// </summary>
    private bool TryHardLink(Placement placement, byte[] name, HardLinkSource source)
    {
        var separator = source.Path.LastIndexOf('/');
        var sourceDirectory = separator < 0 ? "" : source.Path[..separator];
        var onPath = _path.FindLast(directory => directory.Path == sourceDirectory && !directory.IsSkipped);
        var directory = onPath?.Descriptor
            ?? TargetEntries.OpenRestoredDirectory(_target, sourceDirectory.Split('/'), out _);
        var errno = directory < 0
            ? Errno.NoEntry
            : TargetEntries.CreateHardLink(directory, TargetEntries.Terminated(source.Path[(separator + 1)..]), placement.Parent.Descriptor, name);
        if (onPath is null && directory >= 0) LinuxSyscalls.Close(directory);

        string reason;
        if (errno != 0) reason = Errno.Describe(errno);
        else if (LeadsTo(placement.Parent.Descriptor, name, source.Restored)) return true;
        else
        {
            _ = TargetEntries.Remove(placement.Parent.Descriptor, name);
            reason = "its name no longer leads to the file written then";
        }
        Warn(placement.Path, $"cannot be linked to '{source.Path}' ({reason}); written as a file of its own");
        return false;
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

    private static bool LeadsTo(int directory, byte[] name, Walk.FileIdentity expected) =>
        LinuxSyscalls.Statx(directory, name, LinuxSyscalls.AtSymlinkNoFollow, LinuxSyscalls.StatxBasicStats, out var stat) == 0
        && stat.ToMetadata().Identity == expected;
}
