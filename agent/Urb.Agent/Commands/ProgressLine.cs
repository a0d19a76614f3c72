namespace Urb.Agent.Commands;

/// <summary>
/// A progress line on the terminal (stderr), redrawn a few times a second while work runs; off
/// when stderr is not a terminal, so scripts and logs see only the summary.
/// </summary>
public sealed class ProgressLine : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Func<string> render;
    private readonly CancellationTokenSource stop = new();
    private readonly Task? drawing;

    public ProgressLine(Func<string> render, bool enabled)
    {
        this.render = render;
        if (enabled && !Console.IsErrorRedirected) drawing = DrawAsync();
    }

    private async Task DrawAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token)) Draw();
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }

    private void Draw()
    {
        var width = Math.Max(20, Console.WindowWidth - 1);
        var line = render();
        Console.Error.Write('\r' + (line.Length > width ? line[..width] : line.PadRight(width)));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (drawing is not null)
        {
            await drawing;
            Console.Error.Write('\r' + new string(' ', Math.Max(20, Console.WindowWidth - 1)) + '\r');
        }
        stop.Dispose();
    }

    /// <summary>Bytes as the summary and progress show them: 1.5 GiB, 12.0 MiB, 512 B.</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1) (bytes, unit) = (bytes / 1024, unit + 1);
        return unit == 0 ? $"{bytes:0} B" : $"{bytes:0.0} {units[unit]}";
    }

    /// <summary>Remaining time at the current rate, or "?" before there is one.</summary>
    public static string Eta(long done, long total, TimeSpan elapsed)
    {
        if (done <= 0 || elapsed.TotalSeconds < 0.5) return "?";
        var seconds = (total - done) / (done / elapsed.TotalSeconds);
        return TimeSpan.FromSeconds(Math.Max(0, seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss");
    }
}
