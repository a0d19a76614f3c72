using Urb.Agent.Image;
using Urb.Agent.State;
using Urb.Contracts.Snapshot.V1;

namespace Urb.Agent.Backup;

public sealed partial class BackupPlan
{
    /// <summary>Owner read-write only: an image holds every file of the volume, whoever owned it.</summary>
    private const uint ImagePermissions = 0x180; // 0600

    /// <summary>
    /// The plan of an image backup: one file per volume at the snapshot's root, every one read
    /// (no state database: without changed-block tracking only reading tells what changed). The
    /// mtime is the backup's time, as a volume has none of its own.
    /// </summary>
    public static BackupPlan ForVolumes(IReadOnlyList<ImageVolume> volumes, DateTimeOffset takenAt)
    {
        var plan = new BackupPlan(volumes.Select(v => new PlanRoot(v.Path, v.Name)).ToList());
        var modified = (takenAt - DateTimeOffset.UnixEpoch).Ticks * 100;
        foreach (var (volume, root) in volumes.Zip(plan.Roots))
        {
            var node = new Node { Name = volume.Name, Type = NodeType.File, Permissions = ImagePermissions, Size = volume.Size, ModifiedNs = modified };
            plan.RootNodes.Add(node);
            plan.Files.Add(new FileItem(root, volume.Name, node, default(FileStamp)) { NeedsRead = true });
            if (volume.Caution is not null) plan.Notes.Add(volume.Caution);
        }
        return plan;
    }
}
