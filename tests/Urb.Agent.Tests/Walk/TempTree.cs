using System.Diagnostics;
using System.Net.Sockets;

namespace Urb.Agent.Tests.Walk;

/// <summary>A directory tree under /tmp for one test, removed when the test ends.</summary>
internal sealed class TempTree : IDisposable
{
    private readonly List<Socket> _sockets = [];

    public TempTree()
    {
        Root = Path.Combine("/tmp", $"urb-walk-{Guid.NewGuid():N}");
        // World-readable on purpose: some tests walk it as an unprivileged user (see Unprivileged).
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string WriteFile(string relative, string content = "content")
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string MakeDirectory(string relative) => Directory.CreateDirectory(PathOf(relative)).FullName;

    public void Symlink(string relative, string target) => File.CreateSymbolicLink(PathOf(relative), target);

    public void HardLink(string relative, string existingRelative)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        Assert.True(TestSyscalls.Link(PathOf(existingRelative), PathOf(relative)) == 0, "link(2) failed");
    }

    public void Fifo(string relative) => Assert.True(TestSyscalls.MakeFifo(PathOf(relative), 0b110_100_100) == 0, "mkfifo(3) failed");

    /// <summary>A listening unix socket; it stays bound until the tree is disposed.</summary>
    public void UnixSocket(string relative)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        socket.Bind(new UnixDomainSocketEndPoint(PathOf(relative)));
    }

    /// <summary>Runs a shell script in the tree's root: for what .NET cannot do by full path
    /// (trees deeper than PATH_MAX) or by name (names that are not valid UTF-8).</summary>
    public void Shell(string script)
    {
        var run = Run("bash", "-c", script);
        Assert.True(run.ExitCode == 0, $"bash failed ({run.ExitCode}): {run.Error}");
    }

    public (int ExitCode, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Root, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }

    public void Dispose()
    {
        foreach (var socket in _sockets) socket.Dispose();
        // rm removes trees deeper than PATH_MAX, which Directory.Delete cannot.
        Run("chmod", "-R", "u+rwx", Root);
        Run("rm", "-rf", "--one-file-system", Root);
    }
}
