using Google.Protobuf;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Domain.Paths;

namespace Urb.Contracts.Snapshots;

/// <summary>
/// What makes a snapshot tree object well formed. Checked by the server on every tree an agent
/// uploads (a name decides where bytes land on restore, so a bad one is refused at the door)
/// and again by the restoring side, which must not trust the server blindly either.
/// </summary>
public static class TreeRules
{
    /// <summary>A directory's listing is split into parts of about this many serialized bytes,
    /// well under the largest chunk, so one huge directory never makes one huge object.</summary>
    public const int PartTargetBytes = 4 * 1024 * 1024;

    /// <summary>Parses and checks a tree object; <see cref="InvalidInputException"/> naming the first problem.</summary>
    public static Tree Parse(ReadOnlySpan<byte> data, string what)
    {
        Tree tree;
        try
        {
            tree = Tree.Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidInputException(what, $"{what} is not a valid tree object: {e.Message}");
        }
        Validate(tree, what);
        return tree;
    }

    public static void Validate(Tree tree, string what)
    {
        string? previous = null;
        foreach (var node in tree.Nodes)
        {
            if (!EntryName.IsValid(node.Name, out var reason))
            {
                throw new InvalidInputException(what, $"{what} holds an invalid entry name: {reason}.");
            }
            if (previous is not null && string.CompareOrdinal(previous, node.Name) >= 0)
            {
                throw new InvalidInputException(what, $"{what} lists '{node.Name}' out of order or twice.");
            }
            previous = node.Name;
            ValidateNode(node, what);
        }
    }

    private static void ValidateNode(Node node, string what)
    {
        var problem = node.Type switch
        {
            NodeType.File when node.Size < 0 => "a negative size",
            NodeType.File when node.ChunkIds.Length % ChunkId.Size != 0 => "a chunk list that is not a whole number of IDs",
            NodeType.File when node.Size > 0 && node.ChunkIds.IsEmpty => "content without chunks",
            NodeType.File when node.SubtreeIds.Length > 0 => "a file with a subtree",
            NodeType.Directory when node.SubtreeIds.IsEmpty || node.SubtreeIds.Length % ChunkId.Size != 0 => "a directory without a whole list of subtree IDs",
            NodeType.Directory when node.ChunkIds.Length > 0 => "a directory with content",
            NodeType.Symlink when node.ChunkIds.Length > 0 || node.SubtreeIds.Length > 0 => "a symlink with content",
            NodeType.Symlink when node.LinkTarget.Contains('\0') => "a symlink target with a NUL character",
            NodeType.File or NodeType.Directory or NodeType.Symlink => null,
            _ => $"an unknown node type {(int)node.Type}",
        };
        if (problem is not null)
        {
            throw new InvalidInputException(what, $"{what}: entry '{node.Name}' has {problem}.");
        }
    }

    /// <summary>Every object a tree refers to: its files' chunks and its directories' subtree parts.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> References(Tree tree)
    {
        foreach (var node in tree.Nodes)
        {
            var packed = node.Type == NodeType.Directory ? node.SubtreeIds : node.ChunkIds;
            for (var offset = 0; offset < packed.Length; offset += ChunkId.Size)
            {
                yield return packed.Memory.Slice(offset, ChunkId.Size);
            }
        }
    }

    /// <summary>
    /// A directory's sorted nodes as tree parts of about <see cref="PartTargetBytes"/> serialized
    /// bytes each (one part, possibly empty, for a small directory). Deterministic: the same
    /// nodes give the same parts, so an unchanged directory keeps its IDs.
    /// </summary>
    public static List<Tree> SplitIntoParts(IReadOnlyList<Node> sortedNodes)
    {
        var parts = new List<Tree> { new() };
        var size = 0;
        foreach (var node in sortedNodes)
        {
            var nodeSize = node.CalculateSize() + 4;
            if (size > 0 && size + nodeSize > PartTargetBytes)
            {
                parts.Add(new Tree());
                size = 0;
            }
            parts[^1].Nodes.Add(node);
            size += nodeSize;
        }
        return parts;
    }
}
