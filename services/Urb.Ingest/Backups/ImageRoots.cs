using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Errors;

namespace Urb.Ingest.Backups;

/// <summary>
/// The shape of an image snapshot: its root holds one regular file per volume and nothing else.
/// Checked at commit so that restore-image and retention can rely on it (a directory or link
/// there would be a file backup sent under an image kind).
/// </summary>
public static class ImageRoots
{
    public static void Check(IEnumerable<Tree> rootParts)
    {
        foreach (var node in rootParts.SelectMany(t => t.Nodes))
        {
            if (node.Type != NodeType.File)
            {
                throw new InvalidInputException("commit.root_ids", $"An image backup holds only volumes (regular files); \"{node.Name}\" is a {node.Type}.");
            }
        }
    }
}
