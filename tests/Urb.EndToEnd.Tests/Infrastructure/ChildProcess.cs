using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A program the tests start (`dotnet X.dll ...`), with its output kept for assertions and
/// failure messages. Every child is killed when disposed, and as a last resort when the test
/// process exits, so no test leaves a process behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process process;
    private readonly StringBuilder output = new();
    private bool disposed;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in Running.Values) TryKill(child);
        };
    }

    private ChildProcess(Process process) => this.process = process;

    public string Name { get; private init; } = "";

    public int Id { get; private set; }

    public bool HasExited => process.HasExited;

    /// <summary>stdout and stderr so far, interleaved as they came.</summary>
    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>Starts a built Urb program: <c>dotnet &lt;program.dll&gt; arguments…</c>.</summary>
    public static ChildProcess StartDotnet(string name, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment) =>
        Start(name, "dotnet", [program, .. arguments], environment);

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var process = new Process { StartInfo = StartInfo(fileName, arguments, environment), EnableRaisingEvents = true };
        var child = new ChildProcess(process) { Name = name };
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        child.Id = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Running[process.Id] = process;
        return child;
    }

    /// <summary>Runs a built Urb program to its end (at most <paramref name="timeout"/>) and returns what it printed.</summary>
    public static Task<ProgramRun> RunDotnetAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout) =>
        RunAsync("dotnet", [program, .. arguments], environment, timeout);

    /// <summary>Runs a program to its end (at most <paramref name="timeout"/>) and returns what it printed.</summary>
    public static async Task<ProgramRun> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(fileName, arguments, environment))!;
        Running[process.Id] = process;
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                TryKill(process);
                throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} did not finish within {timeout}.");
            }
            return new ProgramRun(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Running.TryRemove(process.Id, out _);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        TryKill(process);
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; nothing more a test can do.
        }
        Running.TryRemove(process.Id, out _);
        process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        info.Environment["DOTNET_TC_CallCountThreshold"] = "200";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return info;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }
}
