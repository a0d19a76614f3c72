using Urb.Domain.Errors;
using Urb.Domain.Paths;

namespace Urb.Domain.Tests.Paths;

public sealed class RelativePathTests
{
    [Fact]
    public void Split_NestedPath_GivesItsNames() =>
        Assert.Equal(["docs", "2026", "report.pdf"], RelativePath.Split("docs/2026/report.pdf", "path"));

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("\\\\server\\share")]
    [InlineData("C:\\Windows")]
    [InlineData("../outside")]
    [InlineData("a/../../outside")]
    [InlineData("a/./b")]
    [InlineData("a//b")]
    [InlineData("a/b/")]
    [InlineData("a\0b")]
    [InlineData("")]
    public void Split_UnsafePaths_AreInvalidInput(string path) =>
        Assert.Equal("path", Assert.Throws<InvalidInputException>(() => RelativePath.Split(path, "path")).Field);

    [Fact]
    public void Under_SafePath_LandsInsideTheRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "restore-root");

        var full = RelativePath.Under(root, "a/b.txt", "path");

        Assert.Equal(Path.Combine(root, "a", "b.txt"), full);
    }

    [Theory]
    [InlineData("../b.txt")]
    [InlineData("/etc/passwd")]
    public void Under_PathLeavingTheRoot_IsRefused(string path) =>
        Assert.Throws<InvalidInputException>(() => RelativePath.Under(Path.Combine(Path.GetTempPath(), "restore-root"), path, "path"));

    [Fact]
    public void Split_ControlCharacters_AreShownEscapedInTheMessage()
    {
        var e = Assert.Throws<InvalidInputException>(() => RelativePath.Split("a\nb/..", "path"));

        Assert.Contains("a\\x0ab", e.Message);
    }
}
