using Urb.Domain.Retention;
using Urb.Domain.Settings;

namespace Urb.Domain.Scheduling;

/// <summary>
/// All a client's scheduled backups: files always, images only when it names volumes
/// (<c>image_volumes</c>; empty means the client gets no image backups).
/// </summary>
public sealed record ClientSchedule(BackupSchedule File, BackupSchedule? Image)
{
    /// <summary>The schedule of one side; null for images of a client without image volumes.</summary>
    public BackupSchedule? Of(BackupSide side) => side == BackupSide.Image ? Image : File;

    /// <summary>From a client's settings; <see cref="Errors.InvalidInputException"/> naming the bad setting.</summary>
    public static ClientSchedule From(EffectiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var image = settings.List(SettingCatalog.ImageVolumes).Count > 0 ? BackupSchedule.From(settings, BackupSide.Image) : null;
        return new ClientSchedule(BackupSchedule.From(settings), image);
    }
}
