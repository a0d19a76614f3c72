namespace Urb.Storage.Options;

/// <summary>Urb.Storage's settings (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Where the filesystem provider keeps pack files. Required.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// A file holding the master key (32 bytes, base64), which wraps every tenant's keys.
    /// Either this or <see cref="MasterKey"/> is required. Never logged.
    /// </summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>The master key itself (base64), e.g. from a Kubernetes Secret in the environment.</summary>
    public string? MasterKey { get; set; }

    /// <summary>A pack is sealed and a new one started once it reaches this size. Default 32 MiB (see docs/architecture.md).</summary>
    public long PackTargetBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>zstd level for chunks that arrive uncompressed. Default 1 (see docs/architecture.md).</summary>
    public int CompressionLevel { get; set; } = 1;

    /// <summary>
    /// How long a pack rewritten by garbage collection stays readable after its chunks moved, so
    /// a restore that located a chunk there just before keeps working. Default 1 hour.
    /// </summary>
    public TimeSpan RetiredPackGrace { get; set; } = TimeSpan.FromHours(1);
}
