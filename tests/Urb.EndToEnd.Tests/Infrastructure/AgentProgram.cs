namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The agent command line as the tests run it: the native executable that `./urb test` publishes
/// (its path in URB_TEST_AGENT), which is what installers ship; without it (a plain
/// `dotnet test`), the agent of the Release build under dotnet. Same code, so either way the
/// tests hold; the native one also proves that nothing the agent does needs code generated at run time.
/// </summary>
public static class AgentProgram
{
    private static readonly string? Native = Environment.GetEnvironmentVariable("URB_TEST_AGENT") is { Length: > 0 } path ? CheckNative(path) : null;

    public static Task<ProgramRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout) =>
        Native is not null
            ? ChildProcess.RunAsync(Native, arguments, environment, timeout)
            : ChildProcess.RunDotnetAsync(RepositoryPaths.Program("Urb.Agent"), arguments, environment, timeout);

    /// <summary>The folder of the agent's files: what an installer's archive holds.</summary>
    public static string Directory => Path.GetDirectoryName(Native ?? RepositoryPaths.Program("Urb.Agent"))!;

    /// <summary>Starts the agent; the caller disposes the process (and so stops it).</summary>
    public static ChildProcess Start(string name, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment) =>
        Native is not null
            ? ChildProcess.Start(name, Native, arguments, environment)
            : ChildProcess.StartDotnet(name, RepositoryPaths.Program("Urb.Agent"), arguments, environment);

    private static string CheckNative(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"URB_TEST_AGENT names {path}, which is missing ('./urb test' publishes it).");
}
