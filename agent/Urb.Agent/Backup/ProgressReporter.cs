using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Backup;

/// <summary>
/// Sends the backup's progress to the server twice a second while files are read, so portals
/// show it as the client's activity. The totals are what the plan reads (the walk comes first,
/// so they are exact: for an incremental backup the new and changed files only). Nothing is
/// sent to a server that does not take it, and a failed send only ends the reporting: the
/// backup's own writes report the broken stream.
/// </summary>
public sealed class ProgressReporter : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly BackupChannel channel;
    private readonly Func<BackupProgress> read;
    private readonly CancellationTokenSource stop = new();
    private readonly Task? sending;

    public ProgressReporter(BackupChannel channel, Func<BackupProgress> read)
    {
        (this.channel, this.read) = (channel, read);
        if (channel.AcceptsProgress) sending = SendAsync();
    }

    /// <summary>The progress of a run: files and bytes read of those the plan reads.</summary>
    public static BackupProgress Of(BackupCounters counters, long filesToRead, long bytesToRead) => new()
    {
        CurrentPath = counters.CurrentFile ?? "",
        FilesDone = counters.FilesRead,
        BytesDone = counters.BytesRead,
        FilesTotal = filesToRead,
        BytesTotal = bytesToRead,
    };

    private async Task SendAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await channel.ReportProgressAsync(read());
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Reading is done: the last report says where it ended.
            await TryReportAsync();
        }
        catch (Exception e) when (IsBroken(e))
        {
            // The stream broke: the backup's own writes say so.
        }
    }

    private async Task TryReportAsync()
    {
        try
        {
            await channel.ReportProgressAsync(read());
        }
        catch (Exception e) when (IsBroken(e))
        {
            // As above.
        }
    }

    private static bool IsBroken(Exception e) => e is OperationCanceledException or Grpc.Core.RpcException or InvalidOperationException or IOException;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (sending is not null) await sending;
        stop.Dispose();
    }
}
