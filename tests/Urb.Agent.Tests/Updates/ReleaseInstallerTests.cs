using System.Formats.Tar;
using Urb.Agent.Updates;

namespace Urb.Agent.Tests.Updates;

/// <summary>Installing into a layout under a temporary folder: never the agent's own files.</summary>
public sealed class ReleaseInstallerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("urb-install-").FullName;
    private readonly InstallLayout layout;

    public ReleaseInstallerTests()
    {
        layout = new InstallLayout(root);
        InstallVersion("0.1.0");
        File.CreateSymbolicLink(layout.Current, "versions/0.1.0");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Install_Release_UnpacksItBesideTheOldVersionAndSwitchesCurrent()
    {
        var archive = Archive(("./", null), ("./Urb.Agent.dll", "new agent"), ("./runtimes/", null), ("./runtimes/lib.so", "native"));

        var directory = new ReleaseInstaller(layout).Install(archive, "0.2.0");

        Assert.Equal(layout.VersionDirectory("0.2.0"), directory);
        Assert.Equal("versions/0.2.0", new FileInfo(layout.Current).LinkTarget);
        Assert.Equal("new agent", File.ReadAllText(Path.Combine(layout.Current, "Urb.Agent.dll")));
        Assert.Equal("native", File.ReadAllText(Path.Combine(layout.Current, "runtimes", "lib.so")));
        Assert.Equal("old agent", File.ReadAllText(Path.Combine(layout.VersionDirectory("0.1.0"), "Urb.Agent.dll")));
        Assert.Equal(["0.1.0", "0.2.0"], Directory.GetDirectories(layout.Versions).Select(Path.GetFileName).Order());
        Assert.Equal("0.2.0", layout.CurrentVersionName());
    }

    [Fact]
    public void Install_ThirdVersion_KeepsOnlyTheNewAndThePreviousOne()
    {
        var installer = new ReleaseInstaller(layout);
        installer.Install(Archive(("Urb.Agent.dll", "0.2.0")), "0.2.0");

        installer.Install(Archive(("Urb.Agent.dll", "0.3.0")), "0.3.0");

        Assert.Equal(["0.2.0", "0.3.0"], Directory.GetDirectories(layout.Versions).Select(Path.GetFileName).Order());
        Assert.Equal("0.3.0", layout.CurrentVersionName());
    }

    [Fact]
    public void Install_ExecutableAndSetUserIdModes_AreReducedTo0755And0644()
    {
        var archive = Path.Combine(root, "modes.tar.gz");
        Releases.WriteArchive(archive, [
            new PaxTarEntry(TarEntryType.RegularFile, "Urb.Agent.dll") { DataStream = new MemoryStream([1]), Mode = (UnixFileMode)0b110_111_111_111 },
            new PaxTarEntry(TarEntryType.RegularFile, "data.json") { DataStream = new MemoryStream([1]), Mode = (UnixFileMode)0b000_110_110_110 },
        ]);

        new ReleaseInstaller(layout).Install(archive, "0.2.0");

        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(layout.Current, "Urb.Agent.dll")));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(layout.Current, "data.json")));
    }

    public static TheoryData<string, TarEntryType> UnsafeEntries => new()
    {
        { "../escaped", TarEntryType.RegularFile },
        { "/etc/escaped", TarEntryType.RegularFile },
        { "lib/../../escaped", TarEntryType.RegularFile },
        { "link", TarEntryType.SymbolicLink },
        { "hard", TarEntryType.HardLink },
        { "fifo", TarEntryType.Fifo },
    };

    [Theory]
    [MemberData(nameof(UnsafeEntries))]
    public void Install_UnsafeEntry_IsRefusedAndNothingChanges(string name, TarEntryType type)
    {
        var entry = new PaxTarEntry(type, name);
        if (type == TarEntryType.RegularFile) entry.DataStream = new MemoryStream([1]);
        if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink) entry.LinkName = "/etc/passwd";
        var archive = Path.Combine(root, "unsafe.tar.gz");
        Releases.WriteArchive(archive, [new PaxTarEntry(TarEntryType.RegularFile, "Urb.Agent.dll") { DataStream = new MemoryStream([1]) }, entry]);

        Assert.Throws<ReleaseRefusedException>(() => new ReleaseInstaller(layout).Install(archive, "0.2.0"));

        AssertUnchanged();
        Assert.False(File.Exists(Path.Combine(root, "escaped")));
    }

    [Fact]
    public void Install_ArchiveWithoutTheAgent_IsRefusedAndNothingChanges()
    {
        var archive = Archive(("README", "not an agent"));

        var refused = Assert.Throws<ReleaseRefusedException>(() => new ReleaseInstaller(layout).Install(archive, "0.2.0"));

        Assert.Contains("Urb.Agent.dll", refused.Message, StringComparison.Ordinal);
        AssertUnchanged();
    }

    [Fact]
    public void Install_NotATarGz_IsRefusedAndNothingChanges()
    {
        var archive = Path.Combine(root, "plain.tar.gz");
        File.WriteAllText(archive, "plain text");

        Assert.Throws<ReleaseRefusedException>(() => new ReleaseInstaller(layout).Install(archive, "0.2.0"));

        AssertUnchanged();
    }

    [Fact]
    public void Of_ProgramInVersionsWithCurrentLink_IsTheLayout()
    {
        Assert.Equal(root, InstallLayout.Of(layout.VersionDirectory("0.1.0") + "/")?.Root);
    }

    [Fact]
    public void Of_AnyOtherFolder_IsNoLayout()
    {
        Assert.Null(InstallLayout.Of(root));
        Assert.Null(InstallLayout.Of(AppContext.BaseDirectory));
        File.Delete(layout.Current);
        Assert.Null(InstallLayout.Of(layout.VersionDirectory("0.1.0")));
    }

    private void InstallVersion(string version)
    {
        Directory.CreateDirectory(layout.VersionDirectory(version));
        File.WriteAllText(Path.Combine(layout.VersionDirectory(version), "Urb.Agent.dll"), "old agent");
    }

    private string Archive(params (string Name, string? Content)[] entries)
    {
        var path = Path.Combine(root, $"release-{Guid.NewGuid():N}.tar.gz");
        Releases.WriteArchive(path, entries);
        return path;
    }

    private void AssertUnchanged()
    {
        Assert.Equal("versions/0.1.0", new FileInfo(layout.Current).LinkTarget);
        Assert.Equal(["0.1.0"], Directory.GetFileSystemEntries(layout.Versions).Select(Path.GetFileName));
    }
}
