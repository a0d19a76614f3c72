using Urb.Contracts.Agent.V1;
using Urb.Domain.Retention;

namespace Urb.Contracts.Backups;

/// <summary>The one place that says what a <see cref="BackupKind"/> is: file or image, full or incremental, and its name.</summary>
public static class BackupKinds
{
    public static bool IsImage(this BackupKind kind) => kind is BackupKind.ImageIncremental or BackupKind.ImageFull;

    public static bool IsFull(this BackupKind kind) => kind is BackupKind.Full or BackupKind.ImageFull;

    /// <summary>Whether the kind is one of the four a backup can have (not unspecified, not a number from a newer peer).</summary>
    public static bool IsKnown(this BackupKind kind) =>
        kind is BackupKind.Incremental or BackupKind.Full or BackupKind.ImageIncremental or BackupKind.ImageFull;

    /// <summary>The kind of backup for an image or file backup, full or incremental.</summary>
    public static BackupKind Of(bool image, bool full) => (image, full) switch
    {
        (false, false) => BackupKind.Incremental,
        (false, true) => BackupKind.Full,
        (true, false) => BackupKind.ImageIncremental,
        (true, true) => BackupKind.ImageFull,
    };

    /// <summary>How people read it: "incremental", "full", "incremental image", "full image".</summary>
    public static string DisplayName(this BackupKind kind) => kind switch
    {
        BackupKind.Incremental => "incremental",
        BackupKind.Full => "full",
        BackupKind.ImageIncremental => "incremental image",
        BackupKind.ImageFull => "full image",
        _ => $"kind {(int)kind}",
    };

    public static BackupType ToBackupType(this BackupKind kind) => kind switch
    {
        BackupKind.Incremental => BackupType.IncrementalFile,
        BackupKind.Full => BackupType.FullFile,
        BackupKind.ImageIncremental => BackupType.IncrementalImage,
        BackupKind.ImageFull => BackupType.FullImage,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of backup"),
    };

    public static BackupKind ToBackupKind(this BackupType type) => type switch
    {
        BackupType.IncrementalFile => BackupKind.Incremental,
        BackupType.FullFile => BackupKind.Full,
        BackupType.IncrementalImage => BackupKind.ImageIncremental,
        BackupType.FullImage => BackupKind.ImageFull,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a type of backup"),
    };
}
