using Urb.Agent.Image;

namespace Urb.Agent.Tests.Image;

public sealed class VolumeNamingTests
{
    [Theory]
    [InlineData("/dev/sda1", "dev-sda1.img")]
    [InlineData("/srv/vol.img", "srv-vol.img")]
    [InlineData("/dev/mapper/vg0-root", "dev-mapper-vg0-root.img")]
    [InlineData("/dev/disk/by-uuid/1234-ABCD", "dev-disk-by-uuid-1234-ABCD.img")]
    [InlineData("/srv/images/", "srv-images.img")]
    public void NamesFor_OneVolume_IsItsPathFlattenedWithImg(string path, string expected)
    {
        Assert.Equal([expected], VolumeNaming.NamesFor([path]));
    }

    [Fact]
    public void NamesFor_PathsThatFlattenAlike_AreMadeUnique()
    {
        var names = VolumeNaming.NamesFor(["/srv/a-b", "/srv/a/b", "/srv-a-b.img", "/srv/a/b"]);

        Assert.Equal(["srv-a-b.img", "srv-a-b-2.img", "srv-a-b-3.img", "srv-a-b-4.img"], names);
    }

    [Fact]
    public void NamesFor_VeryLongPath_StaysAValidEntryName()
    {
        var name = Assert.Single(VolumeNaming.NamesFor(["/srv/" + new string('x', 2000)]));

        Assert.True(Domain.Paths.EntryName.IsValid(name, out var reason), reason);
        Assert.EndsWith(".img", name);
    }
}
