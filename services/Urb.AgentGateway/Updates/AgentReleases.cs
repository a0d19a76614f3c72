using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Urb.AgentGateway.Options;
using Urb.Domain.Releases;

namespace Urb.AgentGateway.Updates;

/// <summary>
/// The agent releases an operator placed in <c>Gateway:AgentReleasesDirectory</c>: every
/// <c>*.manifest</c> file with the archive it names beside it. The folder is read on every call
/// (a handful of small files), so releases come and go without a restart. The gateway holds no
/// release key and checks no signature: agents trust only the key built into them, so a release
/// placed here by mistake, or by someone who took over the gateway, is refused by every agent.
/// </summary>
public sealed partial class AgentReleases(IOptions<GatewayOptions> options, ILogger<AgentReleases> logger)
{
    public const string ManifestSuffix = ".manifest";

    // Each unusable file is logged once per change of it, not on every agent's call.
    private readonly ConcurrentDictionary<string, DateTime> reported = new();

    /// <summary>The newest release for <paramref name="platform"/> newer than <paramref name="version"/>, if any.</summary>
    public AgentRelease? NewestNewerThan(ReleaseVersion version, string platform) =>
        Scan().Where(r => r.Manifest.Platform == platform && r.Manifest.Version > version)
            .MaxBy(r => r.Manifest.Version);

    public AgentRelease? Find(ReleaseVersion version, string platform) =>
        Scan().FirstOrDefault(r => r.Manifest.Platform == platform && r.Manifest.Version == version);

    private IEnumerable<AgentRelease> Scan()
    {
        var directory = options.Value.AgentReleasesDirectory;
        if (string.IsNullOrWhiteSpace(directory)) yield break;
        if (!Directory.Exists(directory))
        {
            ReportOnce(directory, DateTime.MinValue, "the folder does not exist");
            yield break;
        }
        foreach (var path in Directory.EnumerateFiles(directory, "*" + ManifestSuffix))
        {
            if (Read(directory, path) is { } release) yield return release;
        }
    }

    private AgentRelease? Read(string directory, string path)
    {
        var file = new FileInfo(path);
        try
        {
            if (file.Length > SignedReleaseManifest.MaxFileSize) throw new FormatException($"larger than {SignedReleaseManifest.MaxFileSize} bytes");
            var bytes = File.ReadAllBytes(path);
            var manifest = ReleaseManifest.ParseStatement(SignedReleaseManifest.Split(bytes).Statement);
            var archive = new FileInfo(Path.Combine(directory, manifest.Archive));
            if (!archive.Exists) throw new FormatException($"its archive {manifest.Archive} is missing");
            if (archive.Length != manifest.Size) throw new FormatException($"its archive {manifest.Archive} is {archive.Length} bytes, and the manifest says {manifest.Size}");
            return new AgentRelease(manifest, bytes, archive.FullName);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            ReportOnce(path, file.LastWriteTimeUtc, e.Message);
            return null;
        }
    }

    private void ReportOnce(string path, DateTime changed, string reason)
    {
        if (reported.TryGetValue(path, out var seen) && seen == changed) return;
        reported[path] = changed;
        LogUnusable(path, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent release {Path} is not offered: {Reason}")]
    private partial void LogUnusable(string path, string reason);
}
