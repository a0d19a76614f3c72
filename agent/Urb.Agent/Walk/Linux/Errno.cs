using System.Runtime.InteropServices;

namespace Urb.Agent.Walk.Linux;

/// <summary>The errno values the walk tells apart (the same on every Linux architecture), and their text for warnings.</summary>
internal static class Errno
{
    public const int NoEntry = 2;
    public const int Interrupted = 4;
    public const int NotDirectory = 20;
    public const int TooManyLinks = 40;

    /// <summary>"Permission denied (errno 13)".</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
