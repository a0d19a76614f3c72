using System.Security.Cryptography;
using Google.Protobuf;
using Urb.Contracts.Snapshot.V1;

namespace Urb.Agent.Tests.Restore;

/// <summary>Snapshot nodes for the tests, with the fields a restore reads.</summary>
internal static class Nodes
{
    /// <summary>2023-11-14 22:13:20.123456789 UTC: a time with every nanosecond digit in use.</summary>
    public const long Modified = 1_700_000_000_123_456_789;

    public static Node Directory(uint permissions = 0b111_101_101, long modifiedNs = Modified) => new()
    {
        Type = NodeType.Directory,
        Permissions = permissions,
        ModifiedNs = modifiedNs,
    };

    /// <summary>A file node for <paramref name="content"/>; its chunk IDs stand in for the content, as a restore compares them.</summary>
    public static Node File(byte[] content, uint permissions = 0b110_100_100, long modifiedNs = Modified) => new()
    {
        Type = NodeType.File,
        Permissions = permissions,
        ModifiedNs = modifiedNs,
        Size = content.Length,
        ChunkIds = ByteString.CopyFrom(content.Length == 0 ? [] : SHA256.HashData(content)),
        LinkCount = 1,
    };

    public static Node File(string content, uint permissions = 0b110_100_100, long modifiedNs = Modified) =>
        File(System.Text.Encoding.UTF8.GetBytes(content), permissions, modifiedNs);

    /// <summary>One of several names of a file (as the walk saw it on device 64769, inode <paramref name="inode"/>).</summary>
    public static Node HardLinked(string content, ulong inode, uint linkCount = 2)
    {
        var node = File(content);
        node.Device = 64769;
        node.Inode = inode;
        node.LinkCount = linkCount;
        return node;
    }

    public static Node Symlink(string target, long modifiedNs = Modified) => new()
    {
        Type = NodeType.Symlink,
        ModifiedNs = modifiedNs,
        Size = System.Text.Encoding.UTF8.GetByteCount(target),
        LinkTarget = target,
    };
}
