using Urb.Contracts.Snapshot.V1;

namespace Urb.Agent.Tests.Restore;

/// <summary>One entry of a restore stream: where, what, and the content a caller would send for it.</summary>
internal sealed record RestoreEntry(string Path, Node Node, byte[]? Content = null)
{
    public static RestoreEntry File(string path, string content, uint permissions = 0b110_100_100) =>
        new(path, Nodes.File(content, permissions), System.Text.Encoding.UTF8.GetBytes(content));

    public static RestoreEntry File(string path, byte[] content) => new(path, Nodes.File(content), content);

    public static RestoreEntry Directory(string path, uint permissions = 0b111_101_101) => new(path, Nodes.Directory(permissions));

    public static RestoreEntry Symlink(string path, string target) => new(path, Nodes.Symlink(target));
}
