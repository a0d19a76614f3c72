using System.Text.Json.Serialization;

namespace Urb.Agent.Commands;

public sealed record BackupSummaryJson(
    string BackupId, string Status, long FilesNew, long FilesChanged, long FilesUnchanged, long Directories, long TotalBytes,
    long BytesRead, long BytesNew, long BytesSent, long ChunksNew, long ChunksKnown, double? DedupRatio, double DurationSeconds,
    BackupPhasesJson Phases, IReadOnlyList<PathMessageJson> Warnings, IReadOnlyList<string> Skipped, IReadOnlyList<string> Notes);

/// <summary>Seconds of a backup's wall time per phase (see <see cref="Backup.BackupPhases"/>).</summary>
public sealed record BackupPhasesJson(double PlanningSeconds, double ReadingSeconds, double TreesSeconds, double CommittingSeconds, double SavingStateSeconds)
{
    public static BackupPhasesJson Of(Backup.BackupPhases phases) => new(
        Seconds(phases.Planning), Seconds(phases.Reading), Seconds(phases.Trees), Seconds(phases.Committing), Seconds(phases.SavingState));

    private static double Seconds(TimeSpan time) => Math.Round(time.TotalSeconds, 3);
}

public sealed record PathMessageJson(string Path, string Message);

public sealed record BackupListingJson(
    string BackupId, string Kind, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, IReadOnlyList<string> Paths,
    long Files, long TotalBytes, long BytesSent, int Warnings);

public sealed record EntryJson(string Path, string Type, long Size, string Mode, uint Uid, uint Gid, DateTimeOffset Mtime, string? LinkTarget);

public sealed record RestoreSummaryJson(
    string BackupId, string Target, long Files, long Directories, long Symlinks, long HardLinks, long Bytes, double DurationSeconds,
    IReadOnlyList<PathMessageJson> Warnings);

public sealed record ImageRestoreSummaryJson(string BackupId, string Volume, string Target, bool BlockDevice, long Bytes, double DurationSeconds);

public sealed record LogLineJson(string Id, DateTimeOffset Time, string Level, string Service, string Message);

public sealed record IdNameJson(string Id, string Name);

/// <summary><c>status --json</c>: its fields have been camelCase since the first release.</summary>
public sealed record StatusJson(
    string Server,
    IdNameJson Tenant,
    IdNameJson Client,
    [property: JsonPropertyName("serverVersion")] string ServerVersion,
    [property: JsonPropertyName("certificateExpiresAt")] DateTimeOffset CertificateExpiresAt,
    [property: JsonPropertyName("pausedUntil")] DateTimeOffset? PausedUntil,
    [property: JsonPropertyName("agentVersion")] string AgentVersion,
    [property: JsonPropertyName("agentBuild")] string AgentBuild);

/// <summary>
/// What the commands print with <c>--json</c>, one record per shape above. The agent is compiled
/// ahead of time (no code is generated at run time), so its JSON goes through the serializers
/// generated here at build time, never through reflection: <c>JsonSerializer.Serialize(summary,
/// CommandJson.Default.BackupSummaryJson)</c>. Names come out in snake_case unless a record says otherwise.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BackupSummaryJson))]
[JsonSerializable(typeof(IReadOnlyList<BackupListingJson>))]
[JsonSerializable(typeof(EntryJson))]
[JsonSerializable(typeof(RestoreSummaryJson))]
[JsonSerializable(typeof(ImageRestoreSummaryJson))]
[JsonSerializable(typeof(LogLineJson))]
[JsonSerializable(typeof(StatusJson))]
internal sealed partial class CommandJson : JsonSerializerContext;
