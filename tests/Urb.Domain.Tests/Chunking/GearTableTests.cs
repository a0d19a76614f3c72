using Urb.Domain.Content.Chunking;

namespace Urb.Domain.Tests.Chunking;

public sealed class GearTableTests
{
    [Fact]
    public void Values_Always_OneDistinctValuePerByte()
    {
        var values = GearTable.Values.ToArray();

        Assert.Equal(256, values.Length);
        Assert.Equal(256, values.Distinct().Count());
    }

    [Fact]
    public void Values_Always_AboutHalfTheBitsSet()
    {
        // A table of random-looking values: each bit position is set in about half the entries.
        var values = GearTable.Values.ToArray();
        for (var bit = 0; bit < 64; bit++)
        {
            var set = values.Count(v => (v >> bit & 1) == 1);
            Assert.InRange(set, 96, 160);
        }
    }

    [Fact]
    public void Values_FirstAndLast_ArePinned()
    {
        // The table decides every chunk boundary ever cut: it must never change.
        Assert.Equal(GearTable.Seed, 0x5572_6247_6561_7231UL);
        Assert.Equal(0xEB72_B7F4_CF70_B122UL, GearTable.Values[0]);
        Assert.Equal(0x9EE0_4C13_4F57_9587UL, GearTable.Values[255]);
    }
}
