using Urb.Contracts.Agent.V1;
using Urb.ServiceDefaults.Activities;

namespace Urb.Ingest.Activities;

/// <summary>
/// The progress of one running backup or restore, kept in memory by its stream (plain field
/// writes, no I/O) and copied to Redis once a second by <see cref="ActivityPublisher"/>.
/// Until the agent sends a progress message, a backup shows what the server received.
/// </summary>
public sealed class LiveActivity(Guid id, Guid tenantId, Guid clientId, string kind, DateTimeOffset startedAt)
{
    private readonly Lock gate = new();
    private string currentPath = "";
    private long filesDone, bytesDone, filesTotal, bytesTotal;
    private bool estimated, fromAgent;
    private long lastBytes;
    private DateTimeOffset? lastAt;
    private long bytesPerSecond;

    public Guid Id { get; } = id;

    /// <summary>Server side: one object (or restored file) of this many bytes passed.</summary>
    public void Count(long bytes, string? path = null)
    {
        lock (gate)
        {
            if (fromAgent) return;
            filesDone++;
            bytesDone += bytes;
            if (path is not null) currentPath = path;
        }
    }

    /// <summary>Adds to the bytes of the current file (a restore's content pieces).</summary>
    public void AddBytes(long bytes)
    {
        lock (gate) bytesDone += bytes;
    }

    public void SetTotals(long files, long bytes)
    {
        lock (gate)
        {
            filesTotal = files;
            bytesTotal = bytes;
        }
    }

    /// <summary>The agent's own report replaces the server's view from now on.</summary>
    public void Report(BackupProgress progress)
    {
        lock (gate)
        {
            fromAgent = true;
            currentPath = progress.CurrentPath.Length > 4096 ? progress.CurrentPath[..4096] : progress.CurrentPath;
            filesDone = Math.Max(0, progress.FilesDone);
            bytesDone = Math.Max(0, progress.BytesDone);
            filesTotal = Math.Max(0, progress.FilesTotal);
            bytesTotal = Math.Max(0, progress.BytesTotal);
            estimated = progress.TotalsEstimated;
        }
    }

    /// <summary>The state to publish now; the speed is the bytes since the last snapshot over its time.</summary>
    public ActivityState Snapshot(DateTimeOffset now)
    {
        lock (gate)
        {
            lastAt ??= startedAt;
            var seconds = (now - lastAt.Value).TotalSeconds;
            if (seconds >= 0.5)
            {
                bytesPerSecond = (long)(Math.Max(0, bytesDone - lastBytes) / seconds);
                lastBytes = bytesDone;
                lastAt = now;
            }
            return new ActivityState(
                Id, tenantId, clientId, kind, currentPath, filesDone, bytesDone, filesTotal, bytesTotal, estimated,
                bytesPerSecond, startedAt, now, fromAgent);
        }
    }
}
