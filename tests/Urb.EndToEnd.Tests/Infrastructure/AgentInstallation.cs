namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An installed agent in a temporary folder, laid out for updates (ROOT/versions/0.0.1 and
/// ROOT/current pointing at it): a copy of the agent's test build (tests/Urb.Agent.TestBuild),
/// which is version 0.0.1 and trusts the release key given in URB_TEST_RELEASE_PUBLIC_KEY.
/// Updates write only below ROOT, never to the build output.
/// </summary>
public sealed class AgentInstallation
{
    public const string TestBuild = "Urb.Agent.TestBuild";
    public const string InstalledVersion = "0.0.1";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private AgentInstallation(string root) => Root = root;

    public string Root { get; }

    public string Current => Path.Combine(Root, "current");

    public string Versions => Path.Combine(Root, "versions");

    public static AgentInstallation Create(string parent)
    {
        var installation = new AgentInstallation(Path.Combine(parent, "install-" + Guid.NewGuid().ToString("N")[..8]));
        Copy(RepositoryPaths.BuildOutput(TestBuild), Path.Combine(installation.Versions, InstalledVersion));
        File.CreateSymbolicLink(installation.Current, "versions/" + InstalledVersion);
        return installation;
    }

    /// <summary>Where <c>current</c> points.</summary>
    public string? CurrentTarget => new FileInfo(Current).LinkTarget;

    /// <summary>The names directly below ROOT and below ROOT/versions, to show that nothing was added or left behind.</summary>
    public IReadOnlyList<string> Entries() =>
        [.. Directory.GetFileSystemEntries(Root).Concat(Directory.GetFileSystemEntries(Versions)).Select(e => Path.GetRelativePath(Root, e)).Order(StringComparer.Ordinal)];

    /// <summary>Runs the installed agent (ROOT/current/Urb.Agent.dll) with a state directory, trusting <paramref name="releaseKey"/>.</summary>
    public Task<ProgramRun> RunAsync(string stateDirectory, string releaseKey, params string[] arguments) =>
        ChildProcess.RunDotnetAsync(Path.Combine(Current, "Urb.Agent.dll"), ["--state-dir", stateDirectory, .. arguments],
            Environment(releaseKey), Timeout);

    /// <summary>What the installed agent's <c>--version</c> prints.</summary>
    public async Task<string> VersionAsync() =>
        (await ChildProcess.RunDotnetAsync(Path.Combine(Current, "Urb.Agent.dll"), ["--version"], new Dictionary<string, string?>(), Timeout))
            .EnsureSuccess().StandardOutput.Trim();

    public ChildProcess StartDaemon(string stateDirectory, string releaseKey) =>
        ChildProcess.StartDotnet("agent run (installed)", Path.Combine(Current, "Urb.Agent.dll"),
            ["--state-dir", stateDirectory, "run", "--max-backoff", "2"], Environment(releaseKey));

    private static Dictionary<string, string?> Environment(string releaseKey) => new() { ["URB_TEST_RELEASE_PUBLIC_KEY"] = releaseKey };

    private static void Copy(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
