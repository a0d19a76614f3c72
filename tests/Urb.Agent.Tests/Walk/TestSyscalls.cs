using System.Runtime.InteropServices;

namespace Urb.Agent.Tests.Walk;

/// <summary>libc calls the tests need to build trees that .NET has no API for.</summary>
internal static class TestSyscalls
{
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int LinkBytes(byte[] existing, byte[] created);

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifoBytes(byte[] path, uint mode);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    /// <summary>setfsuid(2) changes the uid used for file permission checks of the calling
    /// thread only; from root to another uid it also drops CAP_DAC_OVERRIDE and
    /// CAP_DAC_READ_SEARCH, so permissions bite. It returns the previous fsuid.</summary>
    [DllImport("libc", EntryPoint = "setfsuid")]
    public static extern int SetFilesystemUserId(uint uid);

    public static bool IsRoot => GetEffectiveUserId() == 0;

    public static int Link(string existing, string created) => LinkBytes(Bytes(existing), Bytes(created));

    public static int MakeFifo(string path, uint mode) => MakeFifoBytes(Bytes(path), mode);

    private static byte[] Bytes(string path) => [.. System.Text.Encoding.UTF8.GetBytes(path), 0];
}
