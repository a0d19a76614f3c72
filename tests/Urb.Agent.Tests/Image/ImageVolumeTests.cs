using Urb.Agent.Image;
using Urb.Agent.Image.Linux;
using Urb.Domain.Errors;

namespace Urb.Agent.Tests.Image;

public sealed class ImageVolumeTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("urb-image-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Open_RegularFile_HasItsSizeAndName()
    {
        var path = Path.Combine(directory, "vol.img");
        using (var file = File.Create(path)) file.SetLength(5 * 1024 * 1024 + 17);

        var volume = ImageVolume.Open(path, "vol.img");

        Assert.Equal(5 * 1024 * 1024 + 17, volume.Size);
        Assert.False(volume.IsBlockDevice);
        Assert.Null(volume.Caution);
    }

    [Fact]
    public void Open_SymlinkToAFile_FollowsIt()
    {
        var path = Path.Combine(directory, "vol.img");
        File.WriteAllBytes(path, new byte[4096]);
        var link = Path.Combine(directory, "link");
        File.CreateSymbolicLink(link, path);

        Assert.Equal(4096, ImageVolume.Open(link, "link.img").Size);
    }

    [Fact]
    public void Open_DirectoryMissingOrRelative_IsRefused()
    {
        Assert.Contains("is a directory", Assert.Throws<InvalidInputException>(() => ImageVolume.Open(directory, "d.img")).Message);
        Assert.Contains("no such", Assert.Throws<InvalidInputException>(() => ImageVolume.Open(Path.Combine(directory, "none"), "n.img")).Message);
        Assert.Contains("absolute", Assert.Throws<InvalidInputException>(() => ImageVolume.Open("relative.img", "r.img")).Message);
    }

    [Fact]
    public void Open_CharacterDevice_IsRefused()
    {
        Assert.Contains("neither", Assert.Throws<InvalidInputException>(() => ImageVolume.Open("/dev/null", "null.img")).Message);
    }

    [Fact]
    public void MountedReadWrite_MatchesByDeviceNumberOrSource()
    {
        string[] mountinfo =
        [
            "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
            "40 22 7:3 / /mnt/ro ro,relatime - ext4 /dev/loop3 ro",
            "41 22 0:45 / /mnt/btrfs rw,relatime - btrfs /dev/loop4 rw",
            "42 22 0:46 / /mnt/other rw - tmpfs tmpfs rw",
        ];

        Assert.True(BlockDevices.MountedReadWrite(mountinfo, "/dev/vda", "254:0"));
        Assert.False(BlockDevices.MountedReadWrite(mountinfo, "/dev/loop3", "7:3"));
        Assert.True(BlockDevices.MountedReadWrite(mountinfo, "/dev/loop4", "7:4"));
        Assert.Null(BlockDevices.MountedReadWrite(mountinfo, "/dev/loop5", "7:5"));
    }
}
