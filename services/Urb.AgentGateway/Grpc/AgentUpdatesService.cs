using Google.Protobuf;
using Grpc.Core;
using Urb.AgentGateway.Updates;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Errors;
using Urb.Domain.Releases;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// Agent releases for enrolled agents (mutual TLS): which one is newer, the download, and the
/// agent's report of what it did with it. What agents report is logged here: a refusal means a
/// release that does not verify, which an operator must see.
/// </summary>
public sealed partial class AgentUpdatesService(
    AgentIdentityResolver identities, AgentReleases releases, ILogger<AgentUpdatesService> logger) : AgentUpdates.AgentUpdatesBase
{
    // Well under the 1 MiB a message may carry.
    private const int ChunkSize = 256 * 1024;

    public override async Task<CheckForUpdateResponse> CheckForUpdate(CheckForUpdateRequest request, ServerCallContext context)
    {
        await identities.ResolveLiveAsync(context);
        var release = releases.NewestNewerThan(Version(request.AgentVersion, "agent_version"), Platform(request.Platform));
        return release is null
            ? new CheckForUpdateResponse()
            : new CheckForUpdateResponse { Available = true, Version = release.Manifest.Version.ToString(), ArchiveSize = release.Manifest.Size };
    }

    public override async Task DownloadRelease(DownloadReleaseRequest request, IServerStreamWriter<ReleaseDownload> responseStream, ServerCallContext context)
    {
        var (credential, _) = await identities.ResolveLiveAsync(context);
        var version = Version(request.Version, "version");
        var release = releases.Find(version, Platform(request.Platform))
            ?? throw new NotFoundException($"There is no agent release {version} for {request.Platform}.");
        LogDownload(credential.ClientId, version);
        await responseStream.WriteAsync(new ReleaseDownload { Manifest = ByteString.CopyFrom(release.ManifestFile) }, context.CancellationToken);
        await using var archive = new FileStream(release.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, useAsync: true);
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await archive.ReadAsync(buffer, context.CancellationToken)) > 0)
        {
            await responseStream.WriteAsync(new ReleaseDownload { Data = ByteString.CopyFrom(buffer, 0, read) }, context.CancellationToken);
        }
    }

    public override async Task<ReportUpdateResponse> ReportUpdate(ReportUpdateRequest request, ServerCallContext context)
    {
        var (credential, client) = await identities.ResolveLiveAsync(context);
        var message = request.Message.Length > 500 ? request.Message[..500] : request.Message;
        switch (request.Result)
        {
            case UpdateResult.Installed:
                LogInstalled(client.ClientName, credential.ClientId, request.AgentVersion, request.ReleaseVersion, message);
                break;
            case UpdateResult.Refused:
                LogRefused(client.ClientName, credential.ClientId, request.AgentVersion, request.ReleaseVersion, message);
                break;
            default:
                LogFailed(client.ClientName, credential.ClientId, request.AgentVersion, request.ReleaseVersion, message);
                break;
        }
        return new ReportUpdateResponse();
    }

    private static ReleaseVersion Version(string text, string field) =>
        ReleaseVersion.TryParse(text, out var version) ? version : throw new InvalidInputException(field, $"'{text}' is not a version (MAJOR.MINOR.PATCH).");

    private static string Platform(string platform) =>
        platform is { Length: > 0 and <= 64 } ? platform : throw new InvalidInputException("platform", "The agent's platform (like linux-x64) is required.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} downloads agent release {Version}")]
    private partial void LogDownload(Guid clientId, ReleaseVersion version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientName} ({ClientId}) installed agent release {ReleaseVersion} (was {AgentVersion}): {Message}")]
    private partial void LogInstalled(string clientName, Guid clientId, string agentVersion, string releaseVersion, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientName} ({ClientId}, agent {AgentVersion}) refused agent release {ReleaseVersion}: {Message}")]
    private partial void LogRefused(string clientName, Guid clientId, string agentVersion, string releaseVersion, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientName} ({ClientId}, agent {AgentVersion}) could not install agent release {ReleaseVersion}: {Message}")]
    private partial void LogFailed(string clientName, Guid clientId, string agentVersion, string releaseVersion, string message);
}
