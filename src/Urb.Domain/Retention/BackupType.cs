namespace Urb.Domain.Retention;

/// <summary>The four kinds of backup UrBackup keeps apart for retention.</summary>
public enum BackupType
{
    IncrementalFile,
    FullFile,
    IncrementalImage,
    FullImage,
}

/// <summary>A set of <see cref="BackupType"/>s, for rules that apply to several (archival rules).</summary>
[Flags]
public enum BackupTypes
{
    None = 0,
    IncrementalFile = 1,
    FullFile = 2,
    IncrementalImage = 4,
    FullImage = 8,
    File = IncrementalFile | FullFile,
    Image = IncrementalImage | FullImage,
    Any = File | Image,
}

/// <summary>File or image: the two sides the quota cleanup alternates between.</summary>
public enum BackupSide
{
    Image,
    File,
}

public static class BackupTypeExtensions
{
    /// <summary>All four types, incremental file first.</summary>
    public static IReadOnlyList<BackupType> All { get; } =
        [BackupType.IncrementalFile, BackupType.FullFile, BackupType.IncrementalImage, BackupType.FullImage];

    public static BackupSide Side(this BackupType type) =>
        type is BackupType.IncrementalImage or BackupType.FullImage ? BackupSide.Image : BackupSide.File;

    public static BackupTypes AsSet(this BackupType type) => type switch
    {
        BackupType.IncrementalFile => BackupTypes.IncrementalFile,
        BackupType.FullFile => BackupTypes.FullFile,
        BackupType.IncrementalImage => BackupTypes.IncrementalImage,
        BackupType.FullImage => BackupTypes.FullImage,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown backup type"),
    };

    public static bool Includes(this BackupTypes set, BackupType type) => (set & type.AsSet()) != 0;

    /// <summary>Words for log lines: "incremental file", "full image".</summary>
    public static string Describe(this BackupType type) => type switch
    {
        BackupType.IncrementalFile => "incremental file",
        BackupType.FullFile => "full file",
        BackupType.IncrementalImage => "incremental image",
        BackupType.FullImage => "full image",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown backup type"),
    };

    /// <summary>The types on one side.</summary>
    public static IReadOnlyList<BackupType> Types(this BackupSide side) => side == BackupSide.Image
        ? [BackupType.IncrementalImage, BackupType.FullImage]
        : [BackupType.IncrementalFile, BackupType.FullFile];

    public static BackupSide Other(this BackupSide side) => side == BackupSide.Image ? BackupSide.File : BackupSide.Image;
}
