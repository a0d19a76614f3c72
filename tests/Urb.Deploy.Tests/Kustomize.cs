using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Urb.Deploy.Tests;

/// <summary>
/// Renders a kustomization with <c>kubectl kustomize</c> (local, no cluster). The k8s/ tree is
/// copied to a temporary folder first, and every file a secretGenerator names is created there
/// with a placeholder when it is missing: the real secret files are git-ignored and never
/// present on a fresh clone.
/// </summary>
internal static class Kustomize
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Renders <paramref name="relativePath"/> (e.g. <c>overlays/dev</c>) below k8s/.</summary>
    public static string Render(string relativePath)
    {
        var copy = Directory.CreateTempSubdirectory("urb-k8s-");
        try
        {
            CopyTree(RepositoryPaths.K8s, copy.FullName);
            var target = Path.Combine(copy.FullName, relativePath);
            AddPlaceholderSecretFiles(target);
            return Run("kubectl", "kustomize", target);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    /// <summary>secretGenerator files are "path" or "key=path".</summary>
    private static void AddPlaceholderSecretFiles(string kustomizationDir)
    {
        var kustomization = Path.Combine(kustomizationDir, "kustomization.yaml");
        var yaml = new YamlStream();
        using (var reader = File.OpenText(kustomization))
        {
            yaml.Load(reader);
        }
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        if (!root.Children.TryGetValue(new YamlScalarNode("secretGenerator"), out var generators))
        {
            return;
        }
        foreach (var generator in ((YamlSequenceNode)generators).Children.Cast<YamlMappingNode>())
        {
            if (!generator.Children.TryGetValue(new YamlScalarNode("files"), out var files))
            {
                continue;
            }
            foreach (var entry in ((YamlSequenceNode)files).Children.Cast<YamlScalarNode>())
            {
                var spec = entry.Value!;
                var path = Path.Combine(kustomizationDir, spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                if (!File.Exists(path))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, "placeholder");
                }
            }
        }
    }

    private static string Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' is required for these tests (apt-get install kubectl)", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', args)} took longer than {Timeout}");
            }
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
            }
            return stdout.Result;
        }
    }
}
