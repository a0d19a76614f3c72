using System.Runtime.Versioning;
using System.Security.Cryptography;
using Grpc.Core;
using Urb.Agent.Connection;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Releases;

namespace Urb.Agent.Updates;

/// <summary>
/// One update of the running agent: asks the gateway for a newer release, downloads its manifest
/// and checks the signature before a byte of the archive is kept, downloads the archive beside
/// the installation while hashing it, checks size and hash, installs it
/// (<see cref="ReleaseInstaller"/>) and tells the server what became of it.
/// </summary>
public sealed class AgentUpdater(GatewayConnection connection, InstallLayout? layout, Func<ReleaseKey?> trustedKey)
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);
    // An archive is tens of MiB; this bounds a stalled download, not a slow line.
    private static readonly TimeSpan DownloadDeadline = TimeSpan.FromMinutes(30);

    private readonly AgentUpdates.AgentUpdatesClient client = new(connection.Channel);

    /// <summary>The agent that runs now, in the layout it was started from, trusting the key built into it.</summary>
    public static AgentUpdater ForRunningAgent(GatewayConnection connection) =>
        new(connection, InstallLayout.OfRunningAgent(), ReleaseKey.Trusted);

    /// <summary>
    /// Null when the agent is up to date; the installed release otherwise. Throws
    /// <see cref="ReleaseRefusedException"/> for a release that failed verification and
    /// <see cref="UpdateFailedException"/> when it could not be installed; both are reported to
    /// the server first, and neither leaves anything switched.
    /// </summary>
    public async Task<InstalledRelease?> RunAsync(CancellationToken cancellationToken)
    {
        var running = AgentVersion.Current;
        var offer = await client.CheckForUpdateAsync(
            new CheckForUpdateRequest { AgentVersion = running.ToString(), Platform = AgentVersion.Platform },
            deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken);
        if (!offer.Available) return null;
        try
        {
            RefuseReinstallingItself(offer.Version, running);
            var key = TrustedKey(offer.Version);
            if (layout is null)
            {
                throw new UpdateFailedException(
                    $"release {offer.Version} is available, but this agent does not run from an installation laid out for updates (ROOT/{InstallLayout.VersionsName}/VERSION/ with a ROOT/{InstallLayout.CurrentName} symlink); install it by hand.");
            }
            var installed = await DownloadAndInstallAsync(offer.Version, key, layout, running, cancellationToken);
            await ReportAsync(offer.Version, UpdateResult.Installed, $"installed in {installed.Directory}", cancellationToken);
            return installed;
        }
        catch (ReleaseRefusedException e)
        {
            await ReportAsync(offer.Version, UpdateResult.Refused, e.Message, cancellationToken);
            throw;
        }
        catch (UpdateFailedException e)
        {
            await ReportAsync(offer.Version, UpdateResult.Failed, e.Message, cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// An agent that runs from versions/X but is older than X was installed from a release whose
    /// files are of another version than its manifest names (Urb.Admin checks this when it signs);
    /// installing it again would only restart the daemon into the same version, forever.
    /// </summary>
    private void RefuseReinstallingItself(string version, ReleaseVersion running)
    {
        if (layout is null || Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)) != version) return;
        throw new ReleaseRefusedException(
            $"this agent runs from {layout.VersionDirectory(version)} but is version {running}: release {version} holds another version than its manifest names, so it is not installed again.");
    }

    private ReleaseKey TrustedKey(string version)
    {
        try
        {
            return trustedKey() ?? throw new UpdateFailedException(
                $"release {version} is available, but this agent was built without a release key (UrbReleasePublicKey), so it cannot verify it; install it by hand.");
        }
        catch (FormatException e)
        {
            throw new UpdateFailedException($"the release key built into this agent is unusable: {e.Message}");
        }
    }

    private async Task<InstalledRelease> DownloadAndInstallAsync(
        string version, ReleaseKey key, InstallLayout installation, ReleaseVersion running, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux()) throw new UpdateFailedException($"release {version} is available, but this agent installs updates on Linux only.");
        var download = Path.Combine(installation.Root, $".download-{Guid.NewGuid():N}.tar.gz");
        ReleaseManifest? manifest = null;
        try
        {
            manifest = await DownloadAsync(version, key, running, download, cancellationToken);
            var directory = new ReleaseInstaller(installation).Install(download, manifest.Version.ToString());
            return new InstalledRelease(running, manifest.Version, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new UpdateFailedException(manifest is null
                ? $"release {version} could not be downloaded into {installation.Root}: {e.Message}"
                : $"release {manifest.Version} was verified, but installing it failed: {e.Message}", e);
        }
        finally
        {
            File.Delete(download);
        }
    }

    [SupportedOSPlatform("linux")]
    private async Task<ReleaseManifest> DownloadAsync(
        string version, ReleaseKey key, ReleaseVersion running, string path, CancellationToken cancellationToken)
    {
        using var call = client.DownloadRelease(
            new DownloadReleaseRequest { Version = version, Platform = AgentVersion.Platform },
            deadline: DateTime.UtcNow + DownloadDeadline, cancellationToken: cancellationToken);
        if (!await call.ResponseStream.MoveNext(cancellationToken) || call.ResponseStream.Current.KindCase != ReleaseDownload.KindOneofCase.Manifest)
        {
            throw new ReleaseRefusedException($"the server sent release {version} without its manifest.");
        }
        var manifest = ReleaseVerifier.VerifyManifest(call.ResponseStream.Current.Manifest.Span, key, running, AgentVersion.Platform);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                var data = call.ResponseStream.Current.Data.Memory;
                size += data.Length;
                if (size > manifest.Size)
                {
                    throw new ReleaseRefusedException($"the archive of release {manifest.Version} is larger than the {manifest.Size} bytes its signed manifest states.");
                }
                hash.AppendData(data.Span);
                await file.WriteAsync(data, cancellationToken);
            }
            await file.FlushAsync(cancellationToken);
        }
        ReleaseVerifier.VerifyArchive(manifest, size, hash.GetHashAndReset());
        return manifest;
    }

    /// <summary>Tells the server; a report that does not arrive is not worth failing the update for.</summary>
    private async Task ReportAsync(string version, UpdateResult result, string message, CancellationToken cancellationToken)
    {
        try
        {
            await client.ReportUpdateAsync(
                new ReportUpdateRequest { AgentVersion = AgentVersion.Current.ToString(), ReleaseVersion = version, Result = result, Message = message },
                deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken);
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync($"urb-agent: warning: could not report the update to the server: {e.Status.Detail}");
        }
    }
}

/// <summary>A release this agent installed: the version it ran, the new one and where it lies.</summary>
public sealed record InstalledRelease(ReleaseVersion From, ReleaseVersion To, string Directory);
