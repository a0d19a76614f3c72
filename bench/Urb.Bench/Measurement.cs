using System.Diagnostics;

namespace Urb.Bench;

/// <summary>Wall time and this process's CPU time over one phase.</summary>
public sealed class Measurement
{
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private readonly TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;

    public (double Seconds, double ClientCpuSeconds) Stop()
    {
        wall.Stop();
        return (wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds);
    }

    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
