namespace Urb.Deploy.Tests;

/// <summary>Where the repository's deployment files are, found from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "k8s");

    public static string ComposeFile => Path.Combine(Root, "docker-compose.yml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Urb.Services.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Urb.Services.sln above {AppContext.BaseDirectory}");
    }
}
