using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Urb.Ingest.Data;

namespace Urb.Ingest.Backups;

/// <summary>
/// The backups this process is receiving. Their heartbeat is renewed while their stream lives;
/// a running backup whose heartbeat stopped (its ingest process died, on this or another
/// replica) is marked interrupted by whichever replica sweeps first.
/// </summary>
public sealed partial class RunningBackups(IServiceScopeFactory scopes, TimeProvider time, ILogger<RunningBackups> logger) : BackgroundService
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<Guid, byte> running = new();

    public void Add(Guid backupId) => running[backupId] = 0;

    public void Remove(Guid backupId) => running.TryRemove(backupId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        do
        {
            try
            {
                await BeatAndSweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogBeatFailed(e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task BeatAndSweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
        var now = time.GetUtcNow();
        var mine = running.Keys.ToArray();
        if (mine.Length > 0)
        {
            await db.Backups.Where(b => mine.Contains(b.Id) && b.Status == BackupStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.HeartbeatAt, now), cancellationToken);
        }
        var staleBefore = now - StaleAfter;
        var swept = await db.Backups.Where(b => b.Status == BackupStatus.Running && b.HeartbeatAt < staleBefore)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, BackupStatus.Interrupted)
                .SetProperty(b => b.Failure, "The server receiving it stopped before it was committed.")
                .SetProperty(b => b.FinishedAt, now), cancellationToken);
        if (swept > 0) LogSwept(swept);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backup heartbeat failed, will retry: {Reason}")]
    private partial void LogBeatFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Marked {Count} backups interrupted: the process receiving them stopped")]
    private partial void LogSwept(int count);
}
