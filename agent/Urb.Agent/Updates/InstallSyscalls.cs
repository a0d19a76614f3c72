using System.Runtime.InteropServices;
using System.Text;

namespace Urb.Agent.Updates;

/// <summary>
/// The libc calls that make a switch atomic and durable: rename(2) replaces <c>current</c> in one
/// step (File.Move refuses to replace a link to a directory), and fsync(2) of a directory makes
/// the new names survive a crash.
/// </summary>
internal static class InstallSyscalls
{
    private const string Libc = "libc";
    private const int OpenReadOnly = 0;
    private const int OpenDirectory = 0x10000;
    private const int OpenCloseOnExec = 0x80000;

    [DllImport(Libc, EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameNative(byte[] oldPath, byte[] newPath);

    [DllImport(Libc, EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport(Libc, EntryPoint = "fsync", SetLastError = true)]
    private static extern int FileSync(int descriptor);

    [DllImport(Libc, EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);

    public static void Rename(string from, string to)
    {
        if (RenameNative(Name(from), Name(to)) != 0) throw Failure($"cannot rename {from} to {to}");
    }

    public static void SyncDirectory(string path)
    {
        var descriptor = Open(Name(path), OpenReadOnly | OpenDirectory | OpenCloseOnExec);
        if (descriptor < 0) throw Failure($"cannot open {path}");
        try
        {
            if (FileSync(descriptor) != 0) throw Failure($"cannot flush {path}");
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static byte[] Name(string path) => Encoding.UTF8.GetBytes(path + "\0");

    private static IOException Failure(string what) =>
        new($"{what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
