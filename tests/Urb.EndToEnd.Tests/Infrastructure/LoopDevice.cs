using System.Diagnostics;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A loop block device over a file, for image backups of real block devices (needs root and
/// util-linux's losetup, as on CI). Detached when disposed.
/// </summary>
public sealed class LoopDevice : IDisposable
{
    private LoopDevice(string path) => Path = path;

    public string Path { get; }

    public static LoopDevice Attach(string backingFile)
    {
        Assert.True(Environment.IsPrivilegedProcess, "loop device tests run as root (as CI does): losetup needs it");
        Assert.True(File.Exists("/usr/sbin/losetup") || File.Exists("/sbin/losetup"), "loop device tests need losetup (util-linux), as CI has");
        return new LoopDevice(Run("losetup", "--find", "--show", backingFile).Trim());
    }

    public void Dispose() => Run("losetup", "--detach", Path);

    /// <summary>Reads the device's bytes (through the device, not its backing file).</summary>
    public byte[] ReadAll()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
        return output;
    }
}
