using Urb.Agent.Walk.Patterns;

namespace Urb.Agent.Walk;

/// <summary>A configured root made ready to walk: its full path and its compiled patterns.</summary>
internal sealed record PreparedRoot(int Index, WalkRoot Options, string AbsolutePath, PathFilter Filter)
{
    public static PreparedRoot Create(int index, WalkRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(root.Path, $"{nameof(WalkOptions.Roots)}[{index}].{nameof(WalkRoot.Path)}");
        var absolute = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(root.Path));
        return new PreparedRoot(index, root, absolute, PathFilter.Create(root));
    }

    /// <summary>The absolute path of something <paramref name="relativePath"/> below the root.</summary>
    public string Absolute(string relativePath) =>
        relativePath.Length == 0 ? AbsolutePath
        : AbsolutePath.EndsWith('/') ? AbsolutePath + relativePath
        : $"{AbsolutePath}/{relativePath}";
}
