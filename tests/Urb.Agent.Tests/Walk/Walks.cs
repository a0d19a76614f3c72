using Urb.Agent.Walk;

namespace Urb.Agent.Tests.Walk;

/// <summary>Runs a walk to its end and keeps what it found.</summary>
internal sealed record Walked(IReadOnlyList<WalkEntry> Entries, IReadOnlyList<WalkWarning> Warnings, bool CompletedWithWarnings)
{
    public static Walked Of(params WalkRoot[] roots)
    {
        var walk = FileSystemWalker.Walk(new WalkOptions(roots));
        var entries = walk.Entries.ToList();
        return new Walked(entries, walk.Warnings, walk.CompletedWithWarnings);
    }

    public static Walked Of(string root) => Of(new WalkRoot(root));

    /// <summary>The relative paths, in walk order, of the first root.</summary>
    public IReadOnlyList<string> Paths => [.. Entries.Where(e => e.RootIndex == 0).Select(e => e.RelativePath)];

    public WalkEntry this[string relativePath] =>
        Entries.SingleOrDefault(e => e.RelativePath == relativePath)
        ?? throw new Xunit.Sdk.XunitException($"No entry '{relativePath}' among: {string.Join(", ", Paths)}");

    public bool Has(string relativePath) => Entries.Any(e => e.RelativePath == relativePath);
}
