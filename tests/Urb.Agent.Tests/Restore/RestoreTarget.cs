using System.Diagnostics;
using System.Globalization;
using Urb.Agent.Tests.Walk;

namespace Urb.Agent.Tests.Restore;

/// <summary>
/// A temporary tree holding the restore's target directory and, beside it, an "outside" directory
/// with one file, which no restore may touch.
/// </summary>
internal sealed class RestoreTarget : IDisposable
{
    public RestoreTarget()
    {
        Outside = Tree.MakeDirectory("outside");
        Tree.WriteFile("outside/passwd", OutsideContent);
    }

    public const string OutsideContent = "root:x:0:0";

    public TempTree Tree { get; } = new();

    /// <summary>Where the restore writes; not created beforehand (the writer creates it).</summary>
    public string Path => Tree.PathOf("target");

    public string Outside { get; }

    public string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>What the walk finds in the target.</summary>
    public Walked Walk() => Walked.Of(Path);

    /// <summary>Fails unless nothing but the target was added beside it, and the outside directory holds its one file, unchanged.</summary>
    public void AssertOutsideUntouched()
    {
        Assert.Equal([System.IO.Path.Combine(Outside, "passwd")], Directory.GetFileSystemEntries(Outside));
        Assert.Equal(OutsideContent, File.ReadAllText(System.IO.Path.Combine(Outside, "passwd")));
        var besideTarget = Directory.GetFileSystemEntries(Tree.Root).Select(System.IO.Path.GetFileName).Where(name => name != "target");
        Assert.Equal(["outside"], besideTarget);
    }

    /// <summary>Blocks of storage the file really uses (stat's %b, in 512-byte units).</summary>
    public long AllocatedBytes(string relative)
    {
        var start = new ProcessStartInfo("stat", ["--format=%b", PathOf(relative)]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture) * 512;
    }

    public void Dispose() => Tree.Dispose();
}
