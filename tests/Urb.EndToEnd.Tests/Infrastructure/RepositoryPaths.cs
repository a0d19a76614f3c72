namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>Where the built programs are: artifacts/bin/&lt;project&gt;/release/&lt;project&gt;.dll under the repository root.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Program(string project)
    {
        var path = Path.Combine(Root, "artifacts", "bin", project, "release", project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution in Release first ('./urb test' does).");
    }

    /// <summary>The build output folder of a project: artifacts/bin/&lt;project&gt;/release.</summary>
    public static string BuildOutput(string project)
    {
        var path = Path.Combine(Root, "artifacts", "bin", project, "release");
        return Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"{path} is missing: build the solution in Release first ('./urb test' does).");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Urb.Services.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("The tests must run inside the Urb repository.");
    }
}
